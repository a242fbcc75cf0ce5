using ContentAgent.Batches;

namespace ContentAgent.Storage;

/// <summary>Reads a batch back from an <see cref="IBatchStore"/>.</summary>
public static class BatchStoreExtensions
{
    /// <summary>
    /// Builds a batch's result from what the store holds: every post of the plan (posts never saved are
    /// <see cref="PostStatus.Planned"/>), the run state's status, learnings and compactions, and the token figures.
    /// Posts a run left in flight count as not finished.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="key">The batch's key.</param>
    /// <param name="statusOverride">A status to report instead of the stored one (for example <see cref="BatchStatus.Cancelled"/>).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The batch's result, or <see langword="null"/> when the store has no plan under that key.</returns>
    public static async Task<BatchResult?> GetResultAsync(this IBatchStore store, BatchKey key, BatchStatus? statusOverride = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var plan = await store.GetPlanAsync(key, cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            return null;
        }

        var stored = await store.GetPostsAsync(key, cancellationToken).ConfigureAwait(false);
        var state = await store.GetRunStateAsync(key, cancellationToken).ConfigureAwait(false);
        var posts = new PostResult[plan.Posts.Count];
        foreach (var spec in plan.Posts)
        {
            posts[spec.Index - 1] = BatchStatistics.Planned(spec);
        }

        foreach (var post in stored)
        {
            if (post.Index >= 1 && post.Index <= posts.Length && post.Status is PostStatus.Done or PostStatus.Failed)
            {
                posts[post.Index - 1] = post;
            }
        }

        return new BatchResult(
            plan,
            statusOverride ?? state?.Status ?? BatchStatus.Running,
            posts,
            BatchStatistics.ContextTokens(posts),
            state?.Compactions ?? 0,
            state?.Learnings ?? [],
            TimeSpan.FromTicks(posts.Sum(static p => p.Duration.Ticks)),
            statusOverride is null ? state?.StopReason : null);
    }
}
