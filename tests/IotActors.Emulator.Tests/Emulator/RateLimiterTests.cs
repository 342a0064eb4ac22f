using IotActors.Emulator.Delivery;

namespace IotActors.Emulator.Tests.Emulator;

public sealed class RateLimiterTests
{
    [Fact]
    public void Burst_is_a_tenth_of_the_rate_then_tokens_refill_at_the_rate()
    {
        var start = TimeSpan.FromSeconds(10);
        var limiter = new RateLimiter(100, start);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(limiter.HasToken(start));
            limiter.Take(start);
        }
        Assert.False(limiter.HasToken(start));
        Assert.Equal(start + TimeSpan.FromMilliseconds(10), limiter.NextTokenAt(start));
        Assert.True(limiter.HasToken(start + TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public void Any_one_second_stays_within_the_rate_plus_the_burst()
    {
        var limiter = new RateLimiter(1000, TimeSpan.Zero);
        var taken = 0;
        for (var ms = 0; ms < 1000; ms++)
        {
            var now = TimeSpan.FromMilliseconds(ms);
            while (limiter.HasToken(now))
            {
                limiter.Take(now);
                taken++;
            }
        }
        Assert.InRange(taken, 1000, 1100);
    }

    [Fact]
    public void Slow_rate_still_allows_one_message()
    {
        var limiter = new RateLimiter(1, TimeSpan.Zero);
        Assert.True(limiter.HasToken(TimeSpan.Zero));
        limiter.Take(TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.NextTokenAt(TimeSpan.Zero));
    }
}
