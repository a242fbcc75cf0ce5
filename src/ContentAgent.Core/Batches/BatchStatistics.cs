namespace ContentAgent.Batches;

/// <summary>Averages, trend and time estimates over the posts of a batch.</summary>
internal static class BatchStatistics
{
    /// <summary>The slope, in points per ten posts, beyond which the trend is not <see cref="QualityTrend.Stable"/>.</summary>
    internal const double TrendThresholdPerTenPosts = 1.0;

    /// <summary>The fewest scores from which a trend is told.</summary>
    internal const int MinScoresForTrend = 4;

    public static double AverageScore(IEnumerable<PostResult> posts) => Accumulate(posts).AverageScore;

    /// <summary>
    /// The least-squares slope of the done posts' scores against their index, in points per ten posts:
    /// above +1 is improving, below −1 is declining, else stable (also with fewer than four scores).
    /// </summary>
    public static QualityTrend Trend(IEnumerable<PostResult> posts) => Accumulate(posts).Trend;

    private static ScoreAccumulator Accumulate(IEnumerable<PostResult> posts)
    {
        var accumulator = new ScoreAccumulator();
        foreach (var post in posts)
        {
            accumulator.Add(post);
        }

        return accumulator;
    }

    /// <summary>The learning-context token figures of the posts that ran.</summary>
    public static ContextTokenStats ContextTokens(IReadOnlyList<PostResult> posts)
    {
        long total = 0, uncompactedTotal = 0, uncompactedLargest = 0;
        var largest = 0;
        foreach (var post in posts)
        {
            if (post.Status is PostStatus.Done or PostStatus.Failed)
            {
                total += post.ContextTokens;
                largest = Math.Max(largest, post.ContextTokens);
                uncompactedTotal += post.UncompactedContextTokens;
                uncompactedLargest = Math.Max(uncompactedLargest, post.UncompactedContextTokens);
            }
        }

        return new ContextTokenStats(total, largest, uncompactedTotal, uncompactedLargest);
    }

    /// <summary>A post that has not started.</summary>
    public static PostResult Planned(ContentAgent.Planning.PostSpec spec) =>
        new(spec, PostStatus.Planned, null, null, 0, null, [], 0, 0, 0, 0, TimeSpan.Zero, null);

    /// <summary>The time the remaining posts should take at the pace observed so far (wall clock, so parallelism counts).</summary>
    public static TimeSpan EstimateRemaining(TimeSpan elapsed, int processed, int remaining) =>
        processed <= 0 || remaining <= 0 ? TimeSpan.Zero : elapsed / processed * remaining;
}

/// <summary>
/// Running counts, mean and least-squares trend of a batch's scores: O(1) per post, so checkpoints cost the same at post
/// 10 and at post 5,000.
/// </summary>
internal sealed class ScoreAccumulator
{
    private double _sumX;
    private double _sumY;
    private double _sumXy;
    private double _sumXx;

    public int Done { get; private set; }

    public int Failed { get; private set; }

    public double AverageScore => Done == 0 ? 0 : _sumY / Done;

    /// <summary>
    /// Gets the least-squares slope of the done posts' scores against their index, in points per ten posts: above +1 is
    /// improving, below −1 is declining, else stable (also with fewer than four scores).
    /// </summary>
    public QualityTrend Trend
    {
        get
        {
            double n = Done;
            var denominator = (n * _sumXx) - (_sumX * _sumX);
            if (Done < BatchStatistics.MinScoresForTrend || denominator == 0)
            {
                return QualityTrend.Stable;
            }

            var slopePerTenPosts = 10 * ((n * _sumXy) - (_sumX * _sumY)) / denominator;
            return slopePerTenPosts > BatchStatistics.TrendThresholdPerTenPosts ? QualityTrend.Improving
                : slopePerTenPosts < -BatchStatistics.TrendThresholdPerTenPosts ? QualityTrend.Declining
                : QualityTrend.Stable;
        }
    }

    /// <summary>Takes back a failed post that is about to be written again.</summary>
    public void Forget(PostResult post)
    {
        if (post.Status == PostStatus.Failed)
        {
            Failed--;
        }
    }

    public void Add(PostResult post)
    {
        if (post.Status == PostStatus.Failed)
        {
            Failed++;
        }
        else if (post.Status == PostStatus.Done && post.Score is { } score)
        {
            double x = post.Index, y = score.Overall;
            Done++;
            _sumX += x;
            _sumY += y;
            _sumXy += x * y;
            _sumXx += x * x;
        }
    }
}
