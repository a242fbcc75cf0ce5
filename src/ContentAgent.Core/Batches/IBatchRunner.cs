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
}
