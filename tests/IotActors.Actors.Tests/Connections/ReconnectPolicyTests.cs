using IotActors.Actors.Connections;

namespace IotActors.Actors.Tests.Connections;

public class ReconnectPolicyTests
{
    private static readonly ConsumerOptions Options = new()
    {
        MinBackoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(60),
        AuthenticationFailureBackoff = TimeSpan.FromSeconds(90),
    };

    [Fact]
    public void Transient_backoff_is_full_jitter_under_an_exponential_cap()
    {
        var policy = new BackoffPolicy(Options, new Random(1));
        for (var failures = 1; failures <= 12; failures++)
        {
            var cap = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, failures - 1)));
            Assert.Equal(cap, policy.Cap(failures));
            var delays = Enumerable.Range(0, 200).Select(_ => policy.Next(failures, authenticationFailure: false)).ToList();
            Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, cap));
            // Full jitter spreads over the whole range, not just near the cap.
            Assert.Contains(delays, d => d < cap / 4);
            Assert.Contains(delays, d => d > cap * 3 / 4);
        }
    }

    [Fact]
    public void Authentication_failures_take_the_slow_lane()
    {
        var policy = new BackoffPolicy(Options, new Random(2));
        var delays = Enumerable.Range(0, 200).Select(i => policy.Next(i + 1, authenticationFailure: true)).ToList();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(81), TimeSpan.FromSeconds(99)));
    }

    [Fact]
    public void Budget_grants_attempts_up_to_its_limit_per_sliding_minute()
    {
        var budget = new ConnectAttemptBudget(3);
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        Assert.Equal(TimeSpan.Zero, budget.TryTake(t0));
        Assert.Equal(TimeSpan.Zero, budget.TryTake(t0.AddSeconds(10)));
        Assert.Equal(TimeSpan.Zero, budget.TryTake(t0.AddSeconds(20)));

        Assert.Equal(TimeSpan.FromSeconds(30), budget.TryTake(t0.AddSeconds(30)));
        Assert.Equal(3, budget.Used(t0.AddSeconds(30)));
        Assert.Equal(TimeSpan.Zero, budget.TryTake(t0.AddSeconds(60)));
        Assert.NotEqual(TimeSpan.Zero, budget.TryTake(t0.AddSeconds(61)));
    }

    [Fact]
    public void Whole_fleet_dropping_at_once_stays_within_the_budget()
    {
        var budget = new ConnectAttemptBudget(30);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var granted = new List<DateTimeOffset>();
        // 64 connections retry every second for ten minutes.
        for (var second = 0; second < 600; second++)
            for (var connection = 0; connection < 64; connection++)
                if (budget.TryTake(now.AddSeconds(second)) == TimeSpan.Zero) granted.Add(now.AddSeconds(second));

        for (var start = 0; start < 540; start++)
        {
            var windowStart = now.AddSeconds(start);
            Assert.True(granted.Count(g => g >= windowStart && g < windowStart.AddMinutes(1)) <= 30);
        }
    }
}
