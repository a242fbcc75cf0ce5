using System.Collections.Concurrent;
using ContentAgent.Batches;
using ContentAgent.Planning;

namespace ContentAgent.Storage;

/// <summary>An <see cref="IBatchStore"/> that keeps everything in the process's memory: for tests and short-lived hosts.</summary>
internal sealed class InMemoryBatchStore : IBatchStore
{
    private readonly ConcurrentDictionary<BatchKey, Entry> _batches = new();

    public ValueTask SavePlanAsync(BatchPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        cancellationToken.ThrowIfCancellationRequested();
        _ = _batches.GetOrAdd(new BatchKey(plan.TenantId, plan.PlanId), static (_, p) => new Entry(p), plan);
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
        Get(key).Posts[post.Index] = post;
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
        return ValueTask.FromResult(_batches.TryRemove(key, out _));
    }

    public ValueTask SaveRunStateAsync(BatchKey key, BatchRunState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        cancellationToken.ThrowIfCancellationRequested();
        Get(key).RunState = state;
        return ValueTask.CompletedTask;
    }

    public ValueTask<BatchRunState?> GetRunStateAsync(BatchKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_batches.TryGetValue(key, out var entry) ? entry.RunState : null);
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
    }
}
