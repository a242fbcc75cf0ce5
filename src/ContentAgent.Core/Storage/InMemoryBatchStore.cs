using System.Collections.Concurrent;
using ContentAgent.Batches;
using ContentAgent.Leasing;
using ContentAgent.Planning;

namespace ContentAgent.Storage;

/// <summary>An <see cref="IBatchStore"/> (with its leases and ledger) that keeps everything in the process's memory: for tests and short-lived hosts.</summary>
internal sealed class InMemoryBatchStore(TimeProvider timeProvider) : IBatchStore, ILeaseStore, ISendLedger
{
    private readonly ConcurrentDictionary<BatchKey, Entry> _batches = new();
    private readonly Dictionary<LeaseKey, Lease> _leases = [];

    public ValueTask SavePlanAsync(BatchPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        cancellationToken.ThrowIfCancellationRequested();
        var key = new BatchKey(plan.TenantId, plan.PlanId);
        var entry = _batches.GetOrAdd(key, static (_, state) => new Entry(state.plan) { UpdatedAt = state.now }, (plan, now: timeProvider.GetUtcNow()));
        if (!ReferenceEquals(entry.Plan, plan) && !PlanContent.Same(entry.Plan, PlanContent.Serialize(plan)))
        {
            throw new StoreConflictException("plan", key.ToString());
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<BatchPlan?> GetPlanAsync(BatchKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_batches.TryGetValue(key, out var entry) ? entry.Plan : null);
    }

    public ValueTask SavePostAsync(BatchKey key, PostResult post, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(post);
        cancellationToken.ThrowIfCancellationRequested();
        var entry = Get(key);
        entry.Posts[post.Index] = post;
        entry.UpdatedAt = timeProvider.GetUtcNow();
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<PostResult>> GetPostsAsync(BatchKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<PostResult> posts = _batches.TryGetValue(key, out var entry)
            ? [.. entry.Posts.Values.OrderBy(static p => p.Index)]
            : [];
        return ValueTask.FromResult(posts);
    }

    public ValueTask<bool> DeleteAsync(BatchKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Remove(key));
    }

    public ValueTask SaveRunStateAsync(BatchKey key, BatchRunState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        cancellationToken.ThrowIfCancellationRequested();
        var entry = Get(key);
        entry.RunState = state;
        entry.UpdatedAt = timeProvider.GetUtcNow();
        return ValueTask.CompletedTask;
    }

    public ValueTask<BatchRunState?> GetRunStateAsync(BatchKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_batches.TryGetValue(key, out var entry) ? entry.RunState : null);
    }

    public ValueTask<IReadOnlyList<BatchSummary>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<BatchSummary> list =
        [
            .. _batches.Where(b => b.Key.TenantId == tenantId)
                .Select(static b => b.Value.Summary())
                .OrderByDescending(static s => s.CreatedAt)
                .ThenByDescending(static s => s.PlanId, StringComparer.Ordinal),
        ];
        return ValueTask.FromResult(list);
    }

    public ValueTask<int> PruneAsync(string tenantId, DateTimeOffset updatedBefore, IReadOnlyCollection<BatchStatus>? statuses = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pruned = 0;
        foreach (var (key, entry) in _batches)
        {
            var summary = entry.Summary();
            if (key.TenantId == tenantId && summary.UpdatedAt < updatedBefore && (statuses is null || statuses.Count == 0 || statuses.Contains(summary.Status)) && Remove(key))
            {
                pruned++;
            }
        }

        return ValueTask.FromResult(pruned);
    }

    public ValueTask<Lease> AcquireAsync(LeaseKey key, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        cancellationToken.ThrowIfCancellationRequested();
        var now = timeProvider.GetUtcNow();
        lock (_leases)
        {
            if (!_leases.TryGetValue(key, out var lease) || lease.IsHeldBy(owner) || lease.ExpiresAt <= now)
            {
                _leases[key] = lease = new Lease(key, owner, now + duration);
            }

            return ValueTask.FromResult(lease);
        }
    }

    public ValueTask<Lease?> TakeOverAsync(LeaseKey key, string expectedOwner, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_leases)
        {
            if (!_leases.TryGetValue(key, out var lease) || !lease.IsHeldBy(expectedOwner))
            {
                return ValueTask.FromResult<Lease?>(null);
            }

            _leases[key] = lease = new Lease(key, owner, timeProvider.GetUtcNow() + duration);
            return ValueTask.FromResult<Lease?>(lease);
        }
    }

    public ValueTask ReleaseAsync(LeaseKey key, string owner, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_leases)
        {
            if (_leases.TryGetValue(key, out var lease) && lease.IsHeldBy(owner))
            {
                _leases.Remove(key);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<Lease?> GetAsync(LeaseKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_leases)
        {
            return ValueTask.FromResult(_leases.GetValueOrDefault(key));
        }
    }

    public ValueTask<IReadOnlyList<Lease>> GetExpiredAsync(string scope, DateTimeOffset asOf, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_leases)
        {
            IReadOnlyList<Lease> expired = [.. _leases.Values.Where(l => l.Key.Scope == scope && l.ExpiresAt <= asOf).OrderBy(static l => l.ExpiresAt).Take(limit)];
            return ValueTask.FromResult(expired);
        }
    }

    public ValueTask<SendRecord?> BeginAsync(BatchKey batch, SendItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        cancellationToken.ThrowIfCancellationRequested();
        var entry = Get(batch);
        lock (entry.Sends)
        {
            var before = entry.Sends.GetValueOrDefault(item.Key);
            if (before is not { Status: SendStatus.Sent or SendStatus.HandedOver })
            {
                entry.Sends[item.Key] = new SendRecord(item.Key, item.Channel, item.Target, SendStatus.Pending, (before?.Attempts ?? 0) + 1, null, before?.Error, timeProvider.GetUtcNow());
            }

            return ValueTask.FromResult(before);
        }
    }

    public ValueTask CompleteAsync(BatchKey batch, string itemKey, SendStatus status, string? providerMessageId, string? failure, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entry = Get(batch);
        lock (entry.Sends)
        {
            var record = entry.Sends.GetValueOrDefault(itemKey) ?? throw new InvalidOperationException($"The send '{itemKey}' of '{batch}' was never begun.");
            entry.Sends[itemKey] = record with { Status = status, ProviderMessageId = providerMessageId, Error = failure, UpdatedAt = timeProvider.GetUtcNow() };
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask HandOverAsync(BatchKey batch, string itemKey, CancellationToken cancellationToken = default) =>
        CompleteAsync(batch, itemKey, SendStatus.HandedOver, null, null, cancellationToken);

    public ValueTask<IReadOnlyList<SendRecord>> GetSendsAsync(BatchKey batch, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_batches.TryGetValue(batch, out var entry))
        {
            return ValueTask.FromResult<IReadOnlyList<SendRecord>>([]);
        }

        lock (entry.Sends)
        {
            return ValueTask.FromResult<IReadOnlyList<SendRecord>>([.. entry.Sends.Values.OrderBy(static r => r.Key, StringComparer.Ordinal)]);
        }
    }

    /// <summary>Deletes a batch with its lease.</summary>
    private bool Remove(BatchKey key)
    {
        if (!_batches.TryRemove(key, out _))
        {
            return false;
        }

        lock (_leases)
        {
            _leases.Remove(new LeaseKey(key.TenantId, LeaseScopes.Batch, key.PlanId));
        }

        return true;
    }

    private Entry Get(BatchKey key) =>
        _batches.TryGetValue(key, out var entry)
            ? entry
            : throw new InvalidOperationException($"No plan is stored under '{key}'. Save the plan before its posts or state.");

    private sealed class Entry(BatchPlan plan)
    {
        public BatchPlan Plan { get; } = plan;

        public ConcurrentDictionary<int, PostResult> Posts { get; } = new();

        public BatchRunState? RunState { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public Dictionary<string, SendRecord> Sends { get; } = new(StringComparer.Ordinal);

        public BatchSummary Summary() =>
            new(
                Plan.PlanId,
                Plan.TenantId,
                Plan.Brief,
                RunState?.Status ?? BatchStatus.Running,
                Plan.Posts.Count,
                Posts.Values.Count(static p => p.Status == PostStatus.Done),
                Posts.Values.Count(static p => p.Status == PostStatus.Failed),
                Plan.CreatedAt,
                UpdatedAt);
    }
}
