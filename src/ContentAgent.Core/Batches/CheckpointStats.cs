namespace ContentAgent.Batches;

/// <summary>What a human sees at a checkpoint.</summary>
/// <param name="PlanId">The batch's plan id.</param>
/// <param name="Number">The checkpoint's number in the batch, from 1.</param>
/// <param name="Total">The posts in the batch.</param>
/// <param name="Done">The posts done.</param>
/// <param name="Failed">The posts failed.</param>
/// <param name="AverageScore">The mean overall score of the done posts (0 to 100); 0 when none is done.</param>
/// <param name="Trend">The direction the scores are moving in.</param>
/// <param name="Elapsed">The time spent on the batch so far.</param>
/// <param name="EstimatedRemaining">The time the remaining posts should take, from the observed durations.</param>
public sealed record CheckpointStats(
    string PlanId,
    int Number,
    int Total,
    int Done,
    int Failed,
    double AverageScore,
    QualityTrend Trend,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining)
{
    /// <summary>Gets the posts not yet attempted.</summary>
    public int Remaining => Total - Done - Failed;
}

/// <summary>The answer to a checkpoint.</summary>
public enum CheckpointDecision
{
    /// <summary>Go on with the next posts.</summary>
    Continue,

    /// <summary>Stop for now; the batch can be resumed later.</summary>
    Pause,

    /// <summary>Stop for good; the remaining posts will not be written.</summary>
    Stop,
}

/// <summary>Asks a human (or a policy) whether a batch goes on, every N posts.</summary>
public interface ICheckpointGate
{
    /// <summary>Decides whether the batch goes on.</summary>
    /// <param name="stats">The batch's stats so far.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The decision.</returns>
    ValueTask<CheckpointDecision> DecideAsync(CheckpointStats stats, CancellationToken cancellationToken = default);
}
