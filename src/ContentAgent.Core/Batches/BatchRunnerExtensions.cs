using ContentAgent.Planning;

namespace ContentAgent.Batches;

/// <summary>Conveniences over <see cref="IBatchRunner"/>.</summary>
public static class BatchRunnerExtensions
{
    /// <summary>Runs a batch to its end, ignoring the progress events, and returns its result.</summary>
    /// <param name="runner">The runner.</param>
    /// <param name="plan">The plan to run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The batch's result.</returns>
    public static async Task<BatchResult> RunToCompletionAsync(this IBatchRunner runner, BatchPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        BatchResult? result = null;
        await foreach (var batchEvent in runner.RunAsync(plan, cancellationToken).ConfigureAwait(false))
        {
            if (batchEvent is BatchCompleted completed)
            {
                result = completed.Result;
            }
        }

        return result ?? throw new InvalidOperationException("The batch run ended without a result.");
    }
}
