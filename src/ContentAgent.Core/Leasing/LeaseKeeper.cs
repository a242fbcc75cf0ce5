using System.Globalization;
using ContentAgent.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ContentAgent.Leasing;

/// <summary>
/// The one lease keeper: batches use it now, workflow runs and jobs next. Takes a lease through the <see cref="ILeaseStore"/>
/// (from a provably dead process of this machine at once, with a warning), renews it every third of its duration on a
/// <see cref="PeriodicTimer"/> of the host's <see cref="TimeProvider"/>, and cancels <see cref="IHeldLease.Lost"/> when another
/// owner holds it at a renewal or a renewal fails (a lease that cannot be renewed cannot be trusted).
/// </summary>
internal sealed class LeaseKeeper : ILeaseKeeper
{
    private readonly ILeaseStore _store;
    private readonly LeaseOwner _owner;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public LeaseKeeper(ILeaseStore store, LeaseOwner owner, TimeProvider timeProvider, ILogger<LeaseKeeper> logger)
    {
        _store = store;
        _owner = owner;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<IHeldLease> AcquireAsync(LeaseKey key, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var token = _owner.NewToken();
        var lease = await _store.AcquireAsync(key, token, duration, cancellationToken).ConfigureAwait(false);
        string? takenOverFrom = null;
        if (!lease.IsHeldBy(token) && _owner.IsProvablyDead(lease.Owner))
        {
            var dead = lease.Owner;
            if (await _store.TakeOverAsync(key, dead, token, duration, cancellationToken).ConfigureAwait(false) is { } taken)
            {
                lease = taken;
                takenOverFrom = LeaseOwner.Describe(dead);
                Log.LeaseTakenOver(_logger, key.ToString(), takenOverFrom, lease.ExpiresAt);
            }
            else
            {
                lease = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false) ?? lease;
            }
        }

        if (!lease.IsHeldBy(token))
        {
            throw Held(key, lease);
        }

        return new HeldLease(this, lease, token, duration, takenOverFrom);
    }

    /// <summary>The error for a lease someone else holds: what, who (described), until when.</summary>
    internal static LeaseException Held(LeaseKey key, Lease lease) =>
        new(
            string.Create(CultureInfo.InvariantCulture, $"The {key.Scope} '{key.Id}' of tenant '{key.TenantId}' is being run by {LeaseOwner.Describe(lease.Owner)} until {lease.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC (unless it renews its lease); try again after that."),
            key,
            lease.Owner,
            lease.ExpiresAt,
            lost: false,
            innerException: null);

    private sealed class HeldLease : IHeldLease
    {
        private readonly LeaseKeeper _keeper;
        private readonly string _token;
        private readonly TimeSpan _duration;
        private readonly CancellationTokenSource _lost = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewal;
        private int _disposed;

        public HeldLease(LeaseKeeper keeper, Lease lease, string token, TimeSpan duration, string? takenOverFrom)
        {
            _keeper = keeper;
            Lease = lease;
            _token = token;
            _duration = duration;
            TakenOverFrom = takenOverFrom;
            _renewal = RenewAsync();
        }

        public Lease Lease { get; private set; }

        public CancellationToken Lost => _lost.Token;

        public LeaseException? Loss { get; private set; }

        public string? TakenOverFrom { get; }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            await _stop.CancelAsync().ConfigureAwait(false);
            await _renewal.ConfigureAwait(false);
            try
            {
                await _keeper._store.ReleaseAsync(Lease.Key, _token, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The lease expires by itself; a store that cannot be written now must not hide the run's own outcome.
                Log.LeaseReleaseFailed(_keeper._logger, Lease.Key.ToString(), ex.Message);
            }
            finally
            {
                _stop.Dispose();
                _lost.Dispose();
            }
        }

        private async Task RenewAsync()
        {
            // Yield first: the constructor must not run the loop synchronously.
            await Task.Yield();
            using var timer = new PeriodicTimer(_duration / 3, _keeper._timeProvider);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                {
                    var lease = await _keeper._store.AcquireAsync(Lease.Key, _token, _duration, _stop.Token).ConfigureAwait(false);
                    if (!lease.IsHeldBy(_token))
                    {
                        Lose(new LeaseException(
                            string.Create(CultureInfo.InvariantCulture, $"The lease on {Lease.Key.Scope} '{Lease.Key.Id}' was taken over by {LeaseOwner.Describe(lease.Owner)} (until {lease.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)."),
                            Lease.Key,
                            lease.Owner,
                            lease.ExpiresAt,
                            lost: true,
                            innerException: null));
                        return;
                    }

                    Lease = lease;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Lose(new LeaseException(
                    $"The lease on {Lease.Key.Scope} '{Lease.Key.Id}' could not be renewed ({ex.GetType().Name}: {ex.Message}); the run stops rather than risk two runners.",
                    Lease.Key,
                    string.Empty,
                    _keeper._timeProvider.GetUtcNow(),
                    lost: true,
                    ex));
            }
        }

        private void Lose(LeaseException loss)
        {
            Loss = loss;
            Log.LeaseLost(_keeper._logger, Lease.Key.ToString(), loss.Message);
            _lost.Cancel();
        }
    }

}
