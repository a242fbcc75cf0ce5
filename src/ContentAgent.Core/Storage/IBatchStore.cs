using ContentAgent.Batches;
using ContentAgent.Planning;

namespace ContentAgent.Storage;

/// <summary>
/// Where batch state lives. Each post is its own durable unit, written on its own, keyed by tenant, plan id and index,
/// so a store can persist it atomically and a finished post is never written again.
/// Every method is safe to call twice with the same arguments. A store of batches also keeps their leases
/// (<see cref="ContentAgent.Leasing.ILeaseStore"/>) and effects (the idempotency ledger) and registers them itself.
/// </summary>
public interface IBatchStore
{
    /// <summary>Saves a plan. Saving the same plan again changes nothing; saving a different plan under a stored id throws.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the plan is stored.</returns>
    /// <exception cref="StoreConflictException">A different plan is stored under the same tenant and id.</exception>
    ValueTask SavePlanAsync(BatchPlan plan, CancellationToken cancellationToken = default);

    /// <summary>Gets a plan.</summary>
    /// <param name="key">The batch's key.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The plan, or <see langword="null"/> when the store has none under that key.</returns>
    ValueTask<BatchPlan?> GetPlanAsync(BatchKey key, CancellationToken cancellationToken = default);

    /// <summary>Saves a post's state, replacing the earlier state of the same index.</summary>
    /// <param name="key">The batch's key.</param>
    /// <param name="post">The post.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the post is stored.</returns>
    ValueTask SavePostAsync(BatchKey key, PostResult post, CancellationToken cancellationToken = default);

    /// <summary>Gets the stored posts of a batch, in index order; posts never saved are absent.</summary>
    /// <param name="key">The batch's key.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The stored posts.</returns>
    ValueTask<IReadOnlyList<PostResult>> GetPostsAsync(BatchKey key, CancellationToken cancellationToken = default);

    /// <summary>Deletes a batch: its plan, posts and run state. Deleting a batch that is not there changes nothing.</summary>
    /// <param name="key">The batch's key.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when there was a batch to delete.</returns>
    ValueTask<bool> DeleteAsync(BatchKey key, CancellationToken cancellationToken = default);

    /// <summary>Lists a tenant's batches, newest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>One summary per batch.</returns>
    ValueTask<IReadOnlyList<BatchSummary>> ListAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a tenant's batches last updated before a time, optionally only those in some statuses.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="updatedBefore">Batches last updated before this are deleted.</param>
    /// <param name="statuses">Only batches in these statuses; <see langword="null"/> or empty for any status.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>How many batches were deleted.</returns>
    ValueTask<int> PruneAsync(string tenantId, DateTimeOffset updatedBefore, IReadOnlyCollection<BatchStatus>? statuses = null, CancellationToken cancellationToken = default);

    /// <summary>Saves the batch's learning context and run state, replacing the earlier one.</summary>
    /// <param name="key">The batch's key.</param>
    /// <param name="state">The state.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the state is stored.</returns>
    ValueTask SaveRunStateAsync(BatchKey key, BatchRunState state, CancellationToken cancellationToken = default);

    /// <summary>Gets the batch's learning context and run state.</summary>
    /// <param name="key">The batch's key.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The state, or <see langword="null"/> when none was saved.</returns>
    ValueTask<BatchRunState?> GetRunStateAsync(BatchKey key, CancellationToken cancellationToken = default);
}

/// <summary>The state of a batch run besides its posts: status, learning context, compaction and checkpoint counters.</summary>
/// <param name="Status">The batch's status.</param>
/// <param name="Learnings">The learning context, as the next prompt will carry it.</param>
/// <param name="PostsSinceCompaction">The posts recorded since the last compaction.</param>
/// <param name="Compactions">The compactions so far.</param>
/// <param name="Checkpoints">The checkpoints answered so far.</param>
/// <param name="UpdatedAt">When the state was saved.</param>
/// <param name="PendingCheckpoint">The number of a checkpoint asked but not yet answered; a resumed run asks it again.</param>
/// <param name="StopReason">Why a suspended run stopped, for people (see <see cref="ContentAgent.Batches.BatchStatus.Suspended"/>).</param>
public sealed record BatchRunState(
    BatchStatus Status,
    IReadOnlyList<ContentAgent.Learning.Learning> Learnings,
    int PostsSinceCompaction,
    int Compactions,
    int Checkpoints,
    DateTimeOffset UpdatedAt,
    int? PendingCheckpoint = null,
    string? StopReason = null);

/// <summary>A batch as a list shows it.</summary>
/// <param name="PlanId">The batch's plan id.</param>
/// <param name="TenantId">The tenant that owns it.</param>
/// <param name="Brief">The brief it was planned from.</param>
/// <param name="Status">Its status (<see cref="BatchStatus.Running"/> when no run recorded an end).</param>
/// <param name="Total">Its posts.</param>
/// <param name="Done">Its posts done.</param>
/// <param name="Failed">Its posts failed.</param>
/// <param name="CreatedAt">When it was planned.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record BatchSummary(
    string PlanId,
    string TenantId,
    string Brief,
    BatchStatus Status,
    int Total,
    int Done,
    int Failed,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
