namespace ContentAgent.Batches;

/// <summary>Averages, trend and time estimates over the posts of a batch.</summary>
internal static class BatchStatistics
{
    /// <summary>The slope, in points per ten posts, beyond which the trend is not <see cref="QualityTrend.Stable"/>.</summary>
    internal const double TrendThresholdPerTenPosts = 1.0;

    /// <summary>The fewest scores from which a trend is told.</summary>
    internal const int MinScoresForTrend = 4;

    public static double AverageScore(IEnumerable<PostResult> posts)
    {
        double sum = 0;
        var count = 0;
        foreach (var post in posts)
        {
            if (post.Status == PostStatus.Done && post.Score is { } score)
            {
                sum += score.Overall;
                count++;
            }
        }

        return count == 0 ? 0 : sum / count;
    }

    /// <summary>
    /// The least-squares slope of the done posts' scores against their index, in points per ten posts:
    /// above +1 is improving, below −1 is declining, else stable (also with fewer than four scores).
    /// </summary>
    public static QualityTrend Trend(IEnumerable<PostResult> posts)
    {
        double n = 0, sumX = 0, sumY = 0, sumXy = 0, sumXx = 0;
        foreach (var post in posts)
        {
            if (post.Status == PostStatus.Done && post.Score is { } score)
            {
                double x = post.Index, y = score.Overall;
                n++;
                sumX += x;
                sumY += y;
                sumXy += x * y;
                sumXx += x * x;
            }
        }

        var denominator = (n * sumXx) - (sumX * sumX);
        if (n < MinScoresForTrend || denominator == 0)
        {
            return QualityTrend.Stable;
        }

        var slopePerTenPosts = 10 * ((n * sumXy) - (sumX * sumY)) / denominator;
        return slopePerTenPosts > TrendThresholdPerTenPosts ? QualityTrend.Improving
            : slopePerTenPosts < -TrendThresholdPerTenPosts ? QualityTrend.Declining
            : QualityTrend.Stable;
    }

    /// <summary>The time the remaining posts should take at the pace observed so far (wall clock, so parallelism counts).</summary>
    public static TimeSpan EstimateRemaining(TimeSpan elapsed, int processed, int remaining) =>
        processed <= 0 || remaining <= 0 ? TimeSpan.Zero : elapsed / processed * remaining;
}
