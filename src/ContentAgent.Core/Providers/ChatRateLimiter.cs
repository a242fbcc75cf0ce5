using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ContentAgent.Providers;

/// <summary>
/// The process-wide limits on calls to the model (System.Threading.RateLimiting): concurrent calls, requests and tokens
/// per rolling window. One instance serves every batch and tenant of the host.
/// </summary>
/// <remarks>
/// The request and token limits use sliding windows of <see cref="Segments"/> segments. A sliding window only promises its
/// limit over spans aligned to its segments, so each window is stretched by one segment plus a margin for timer lag: then
/// no stretch of <see cref="ChatRateLimitOptions.Window"/> at the provider ever holds more than the limit. The concurrency
/// lease is taken first and the window permits last, so a call leaves as soon as it is counted.
/// </remarks>
internal sealed class ChatRateLimiter : IAsyncDisposable, IDisposable
{
    internal const int Segments = 10;
    private static readonly TimeSpan TimerMargin = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrencyLimiter? _concurrency;
    private readonly SlidingWindowRateLimiter? _requests;
    private readonly SlidingWindowRateLimiter? _tokens;
    private readonly int _tokenLimit;

    public ChatRateLimiter(IOptions<ChatProviderOptions> options)
        : this(options.Value.RateLimits)
    {
    }

    internal ChatRateLimiter(ChatRateLimitOptions limits)
    {
        if (limits.ConcurrentCalls > 0)
        {
            _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = limits.ConcurrentCalls,
                QueueLimit = limits.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }

        var window = (limits.Window + TimerMargin) * Segments / (Segments - 1);
        if (limits.Requests > 0)
        {
            _requests = Window(limits.Requests, window, limits.QueueLimit);
        }

        if (limits.Tokens > 0)
        {
            _tokenLimit = limits.Tokens;
            // The queue counts tokens here: room for QueueLimit calls of the largest size.
            _tokens = Window(limits.Tokens, window, (int)Math.Min(int.MaxValue, (long)limits.QueueLimit * limits.Tokens));
        }
    }

    /// <summary>Gets a value indicating whether any limit is set.</summary>
    public bool IsActive => _concurrency is not null || _requests is not null || _tokens is not null;

    /// <summary>Gets a value indicating whether calls are counted in tokens (only then is a call's size worth estimating).</summary>
    public bool LimitsTokens => _tokens is not null;

    /// <summary>Waits until a call of about <paramref name="tokens"/> tokens may go; dispose the result when the call is over.</summary>
    public async ValueTask<IDisposable> AcquireAsync(int tokens, CancellationToken cancellationToken)
    {
        var leases = new List<RateLimitLease>(3);
        try
        {
            if (_concurrency is not null)
            {
                leases.Add(Check(await _concurrency.AcquireAsync(1, cancellationToken).ConfigureAwait(false), "concurrent calls"));
            }

            if (_tokens is not null)
            {
                leases.Add(Check(await _tokens.AcquireAsync(Math.Clamp(tokens, 1, _tokenLimit), cancellationToken).ConfigureAwait(false), "tokens"));
            }

            if (_requests is not null)
            {
                leases.Add(Check(await _requests.AcquireAsync(1, cancellationToken).ConfigureAwait(false), "requests"));
            }

            return new Leases(leases);
        }
        catch
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        _concurrency?.Dispose();
        _requests?.Dispose();
        _tokens?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_concurrency is not null)
        {
            await _concurrency.DisposeAsync().ConfigureAwait(false);
        }

        if (_requests is not null)
        {
            await _requests.DisposeAsync().ConfigureAwait(false);
        }

        if (_tokens is not null)
        {
            await _tokens.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static SlidingWindowRateLimiter Window(int limit, TimeSpan window, int queueLimit) =>
        new(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = window,
            SegmentsPerWindow = Segments,
            QueueLimit = queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });

    private static RateLimitLease Check(RateLimitLease lease, string what)
    {
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        throw new ChatProviderException(
            $"Too many calls are waiting for the shared limit on {what} (ContentAgent:Chat:RateLimits:QueueLimit); the call was refused.", isTransient: true);
    }

    private sealed class Leases(List<RateLimitLease> leases) : IDisposable
    {
        public void Dispose()
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }
        }
    }
}
