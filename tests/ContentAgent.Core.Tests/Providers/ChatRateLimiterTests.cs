using System.Diagnostics;
using ContentAgent.Providers;

namespace ContentAgent.Tests.Providers;

public sealed class ChatRateLimiterTests
{
    /// <summary>The most events inside any half-open stretch of <paramref name="window"/>.</summary>
    internal static int MostInAnyWindow(IReadOnlyList<TimeSpan> times, TimeSpan window)
    {
        var sorted = times.Order().ToList();
        var most = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            most = Math.Max(most, sorted.Skip(i).TakeWhile(t => t - sorted[i] < window).Count());
        }

        return most;
    }

    [Fact]
    public async Task AcquireAsync_ConcurrentCalls_NeverMoreInFlightThanTheLimit()
    {
        await using var limiter = new ChatRateLimiter(new ChatRateLimitOptions { ConcurrentCalls = 2 });
        var inFlight = 0;
        var most = 0;

        await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var permit = await limiter.AcquireAsync(10, CancellationToken.None);
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await Task.Delay(20);
            Interlocked.Decrement(ref inFlight);
        }));

        Assert.Equal(2, most);
    }

    [Fact]
    public async Task AcquireAsync_Requests_NoWindowHoldsMoreThanTheLimit()
    {
        var window = TimeSpan.FromSeconds(1);
        await using var limiter = new ChatRateLimiter(new ChatRateLimitOptions { Requests = 3, Window = window });
        var clock = Stopwatch.StartNew();
        var times = new List<TimeSpan>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var permit = await limiter.AcquireAsync(1, CancellationToken.None);
            lock (times)
            {
                times.Add(clock.Elapsed);
            }
        }));

        Assert.Equal(8, times.Count);
        Assert.Equal(3, MostInAnyWindow(times, window));
    }

    [Fact]
    public async Task AcquireAsync_Tokens_NoWindowHoldsMoreTokensThanTheLimit()
    {
        var window = TimeSpan.FromSeconds(1);
        await using var limiter = new ChatRateLimiter(new ChatRateLimitOptions { Tokens = 1000, Window = window });
        var clock = Stopwatch.StartNew();
        var times = new List<TimeSpan>();

        // Each call is 400 tokens: at most two fit in any window.
        await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var permit = await limiter.AcquireAsync(400, CancellationToken.None);
            lock (times)
            {
                times.Add(clock.Elapsed);
            }
        }));

        Assert.Equal(2, MostInAnyWindow(times, window));
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_GivesUpWithoutAPermit()
    {
        await using var limiter = new ChatRateLimiter(new ChatRateLimitOptions { Requests = 1, Window = TimeSpan.FromMinutes(1) });
        using (await limiter.AcquireAsync(1, CancellationToken.None))
        {
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.AcquireAsync(1, cancel.Token).AsTask());
    }

    [Fact]
    public async Task AcquireAsync_QueueFull_RefusesWithATransientFailure()
    {
        await using var limiter = new ChatRateLimiter(new ChatRateLimitOptions { ConcurrentCalls = 1, QueueLimit = 1 });
        using var first = await limiter.AcquireAsync(1, CancellationToken.None);
        var queued = limiter.AcquireAsync(1, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ChatProviderException>(() => limiter.AcquireAsync(1, CancellationToken.None).AsTask());

        Assert.True(error.IsTransient);
        Assert.Contains("QueueLimit", error.Message, StringComparison.Ordinal);
        first.Dispose();
        (await queued).Dispose();
    }

    [Fact]
    public void IsActive_OnlyWithALimit()
    {
        using var none = new ChatRateLimiter(new ChatRateLimitOptions());
        using var some = new ChatRateLimiter(new ChatRateLimitOptions { Requests = 5 });

        Assert.False(none.IsActive);
        Assert.True(some.IsActive);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
