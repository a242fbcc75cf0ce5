using ContentAgent.Batches;
using ContentAgent.Planning;

namespace ContentAgent.Storage;

/// <summary>
/// Where batch state lives. Each post is its own durable unit, written on its own, keyed by tenant, plan id and index,
/// so a store can persist it atomically and a finished post is never written again.
/// Every method is safe to call twice with the same arguments.
/// </summary>
public interface IBatchStore
{
    /// <summary>Saves a plan. Saving the same plan again changes nothing.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the plan is stored.</returns>
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
public sealed record BatchRunState(
    BatchStatus Status,
    IReadOnlyList<ContentAgent.Learning.Learning> Learnings,
    int PostsSinceCompaction,
    int Compactions,
    int Checkpoints,
    DateTimeOffset UpdatedAt);
