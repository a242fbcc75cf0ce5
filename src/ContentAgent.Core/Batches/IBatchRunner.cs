using ContentAgent.Planning;

namespace ContentAgent.Batches;

/// <summary>Runs a planned batch: writes, scores and learns post by post, compacts, checkpoints.</summary>
public interface IBatchRunner
{
    /// <summary>Runs a batch. Posts already finished in the store are not written again.</summary>
    /// <param name="plan">The plan to run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; cancelling stops the run cleanly.</param>
    /// <returns>The run's events; the last one is a <see cref="BatchCompleted"/>.</returns>
    IAsyncEnumerable<BatchEvent> RunAsync(BatchPlan plan, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a batch again, writing its failed posts (and any not yet written) once more with the same context rules.
    /// A retried post keeps its history: <see cref="PostResult.Attempts"/> counts every attempt, <see cref="PostResult.PriorErrors"/>
    /// keeps the earlier reasons. Done posts are never written again.
    /// </summary>
    /// <param name="plan">The plan to run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests; cancelling stops the run cleanly.</param>
    /// <returns>The run's events; the last one is a <see cref="BatchCompleted"/>.</returns>
    IAsyncEnumerable<BatchEvent> RetryFailedAsync(BatchPlan plan, CancellationToken cancellationToken = default);
}
