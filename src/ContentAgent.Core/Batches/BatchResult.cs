using ContentAgent.Planning;

namespace ContentAgent.Batches;

/// <summary>The outcome of a batch run.</summary>
/// <param name="Plan">The plan that ran.</param>
/// <param name="Status">How the run ended.</param>
/// <param name="Posts">Every post of the plan, in index order, as it stands.</param>
/// <param name="Context">The learning-context token figures, with and without compaction.</param>
/// <param name="Compactions">How many times the learning context was compacted.</param>
/// <param name="Learnings">The learning context at the end of the run.</param>
/// <param name="Duration">How long the run took.</param>
/// <param name="StopReason">Why a <see cref="BatchStatus.Suspended"/> run stopped early, and what to do; otherwise <see langword="null"/>.</param>
public sealed record BatchResult(
    BatchPlan Plan,
    BatchStatus Status,
    IReadOnlyList<PostResult> Posts,
    ContextTokenStats Context,
    int Compactions,
    IReadOnlyList<ContentAgent.Learning.Learning> Learnings,
    TimeSpan Duration,
    string? StopReason = null)
{
    /// <summary>Gets the posts done.</summary>
    public int Succeeded => Posts.Count(static p => p.Status == PostStatus.Done);

    /// <summary>Gets the posts failed.</summary>
    public int Failed => Posts.Count(static p => p.Status == PostStatus.Failed);

    /// <summary>Gets the mean overall score of the done posts (0 to 100); 0 when none is done.</summary>
    public double AverageScore => BatchStatistics.AverageScore(Posts);

    /// <summary>Gets the direction the scores moved in over the batch.</summary>
    public QualityTrend Trend => BatchStatistics.Trend(Posts);

    /// <summary>Gets the input tokens of every post, summed.</summary>
    public long InputTokens => Posts.Sum(static p => p.InputTokens);

    /// <summary>Gets the output tokens of every post, summed.</summary>
    public long OutputTokens => Posts.Sum(static p => p.OutputTokens);

    /// <summary>Gets the input and output tokens of every post, summed.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>
    /// Gets the estimated cost of every post, from <c>ContentAgent:Chat:Prices</c>; <see langword="null"/> when no post has a
    /// price (offline, or no price configured for the model).
    /// </summary>
    public decimal? EstimatedCost => Posts.Any(static p => p.Cost is not null) ? Posts.Sum(static p => p.Cost ?? 0m) : null;
}

/// <summary>Learning-context tokens carried by the prompts of a batch, measured with the tokenizer.</summary>
/// <param name="Total">The learning-context tokens of every prompt, summed.</param>
/// <param name="LargestPerPost">The largest learning context a single prompt carried.</param>
/// <param name="UncompactedTotal">The same sum had every prompt carried every earlier post and learning (no compaction).</param>
/// <param name="UncompactedLargestPerPost">The largest uncompacted context a single prompt would have carried.</param>
public sealed record ContextTokenStats(long Total, int LargestPerPost, long UncompactedTotal, long UncompactedLargestPerPost)
{
    /// <summary>Gets the share of tokens compaction saved, from 0 to 1.</summary>
    public double Savings => UncompactedTotal == 0 ? 0 : 1 - ((double)Total / UncompactedTotal);
}
