namespace ContentAgent.Batches;

/// <summary>Where a post is in its life: planned → writing → written → scored → done, or failed.</summary>
public enum PostStatus
{
    /// <summary>Planned, not started.</summary>
    Planned,

    /// <summary>Being written by the chat client.</summary>
    Writing,

    /// <summary>Written, not yet scored.</summary>
    Written,

    /// <summary>Scored, learnings not yet recorded.</summary>
    Scored,

    /// <summary>Finished: written, scored and recorded. Never written again.</summary>
    Done,

    /// <summary>Failed after its attempts or its timeout; <see cref="PostResult.Error"/> says why.</summary>
    Failed,
}

/// <summary>How a batch run ended.</summary>
public enum BatchStatus
{
    /// <summary>Still running (or interrupted before it could record an end).</summary>
    Running,

    /// <summary>Every post is done.</summary>
    Completed,

    /// <summary>Every post was attempted; some failed.</summary>
    CompletedWithFailures,

    /// <summary>A checkpoint answered <see cref="CheckpointDecision.Pause"/>; the rest can run later.</summary>
    Paused,

    /// <summary>A checkpoint answered <see cref="CheckpointDecision.Stop"/>; the rest will not run.</summary>
    Stopped,

    /// <summary>The run was cancelled; finished posts are kept, the rest can run later.</summary>
    Cancelled,

    /// <summary>
    /// The run stopped by itself before the end, for the reason in <see cref="BatchResult.StopReason"/>: the provider is
    /// failing (its circuit opened) or the next posts would pass the batch's token budget. Finished posts are kept;
    /// resume the batch once the cause is fixed.
    /// </summary>
    Suspended,
}

/// <summary>The direction the quality scores are moving in.</summary>
public enum QualityTrend
{
    /// <summary>Scores are flat (within one point per ten posts), or there are too few to tell.</summary>
    Stable,

    /// <summary>Scores rise by more than one point per ten posts.</summary>
    Improving,

    /// <summary>Scores fall by more than one point per ten posts.</summary>
    Declining,
}
