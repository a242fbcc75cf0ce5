using ContentAgent.Batches;
using ContentAgent.Planning;

namespace ContentAgent.Tests.Batches;

public sealed class BatchStatisticsTests
{
    private static BatchResult Result(params double?[] scores)
    {
        var plan = TestSupport.Plan(scores.Length);
        var posts = scores.Select((score, i) => new PostResult(
            plan.Posts[i],
            score is null ? PostStatus.Failed : PostStatus.Done,
            score is null ? null : "text",
            score is null ? null : TestSupport.Score(score.Value / 10),
            1,
            score is null ? "failed" : null,
            [],
            0,
            0,
            0,
            0,
            TimeSpan.Zero,
            DateTimeOffset.UnixEpoch)).ToList();
        return new BatchResult(plan, BatchStatus.Completed, posts, new ContextTokenStats(0, 0, 0, 0), 0, [], TimeSpan.Zero);
    }

    [Fact]
    public void Trend_RisingScores_IsImproving() => Assert.Equal(QualityTrend.Improving, Result(60, 62, 65, 66, 70, 71).Trend);

    [Fact]
    public void Trend_FallingScores_IsDeclining() => Assert.Equal(QualityTrend.Declining, Result(80, 78, 75, 74, 70, 69).Trend);

    [Fact]
    public void Trend_FlatScoresWithNoise_IsStable() => Assert.Equal(QualityTrend.Stable, Result(80, 81, 79, 80, 81, 79, 80, 80).Trend);

    [Fact]
    public void Trend_OneFifthOfAPointPerPost_IsImprovingAtTwoPointsPerTenPosts() =>
        Assert.Equal(QualityTrend.Improving, Result([.. Enumerable.Range(0, 20).Select(i => (double?)(70 + (i * 0.2)))]).Trend);

    [Fact]
    public void Trend_JustUnderOnePointPerTenPosts_IsStable() =>
        Assert.Equal(QualityTrend.Stable, Result([.. Enumerable.Range(0, 20).Select(i => (double?)(70 + (i * 0.09)))]).Trend);

    [Fact]
    public void Trend_FewerThanFourScores_IsStable() => Assert.Equal(QualityTrend.Stable, Result(10, 50, 90).Trend);

    [Fact]
    public void AverageAndTrend_IgnoreFailedPosts()
    {
        var result = Result(60, null, 70, null, 80, 90);

        Assert.Equal(75, result.AverageScore, 6);
        Assert.Equal(QualityTrend.Improving, result.Trend);
        Assert.Equal(4, result.Succeeded);
        Assert.Equal(2, result.Failed);
    }

    [Fact]
    public void AverageScore_NoDonePost_IsZero() => Assert.Equal(0, Result(null, null).AverageScore);

    [Fact]
    public void ContextTokenStats_Savings()
    {
        Assert.Equal(0.75, new ContextTokenStats(25, 5, 100, 20).Savings, 6);
        Assert.Equal(0, new ContextTokenStats(0, 0, 0, 0).Savings);
    }
}
