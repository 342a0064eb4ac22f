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

    [Fact]
    public void A_bucket_a_hair_below_one_token_wakes_later_than_now_and_then_has_its_token()
    {
        // Regression: 1,000/s refilled over many odd intervals left the bucket at 0.99999999…, whose wake-up time
        // rounded to "now"; the consumer group then never woke and deliveries stalled with credit and tokens free.
        var limiter = new RateLimiter(1000, TimeSpan.Zero);
        var now = TimeSpan.Zero;
        var random = new Random(5);
        for (var step = 0; step < 200_000; step++)
        {
            now += TimeSpan.FromTicks(random.Next(1, 20_000));
            if (!limiter.HasToken(now))
            {
                var next = limiter.NextTokenAt(now);
                Assert.True(next > now, $"step {step}: no token at {now.Ticks} but the next one is due at {next.Ticks}");
                Assert.True(limiter.HasToken(next), $"step {step}: still no token at the promised {next.Ticks}");
                now = next;
            }
            limiter.Take(now);
        }
    }
}
