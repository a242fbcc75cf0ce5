using ContentAgent.Learning;
using ContentAgent.Planning;
using ContentAgent.Quality;
using LearningRecord = ContentAgent.Learning.Learning;

namespace ContentAgent.Tests.Learning;

public class LearningExtractorTests
{
    private static readonly PostSpec Spec = new(4, Platform.LinkedIn, "AI", "Lessons from failed pilots");

    [Fact]
    public void Extract_BestAtLeast8AndWorstAtMost5_ReturnsKeepThenAvoid()
    {
        var score = Score(hook: 9, callToAction: 3, callToActionReason: "No ask at the end: close with a question that invites replies.");

        var learnings = LearningExtractor.Extract(Spec, score);

        Assert.Equal(2, learnings.Count);
        var keep = learnings[0];
        Assert.Equal(LearningKind.Keep, keep.Kind);
        Assert.Equal(QualityCriterion.Hook, keep.Criterion);
        Assert.Equal(4, keep.SourcePost);
        Assert.Equal(1, keep.Weight);
        Assert.Equal("Hook: opens with a concrete number (9/10 on post 4, LinkedIn)", keep.Text);
        var avoid = learnings[1];
        Assert.Equal(LearningKind.Avoid, avoid.Kind);
        Assert.Equal(QualityCriterion.CallToAction, avoid.Criterion);
        Assert.Equal(4, avoid.SourcePost);
        Assert.Equal("Call to action: no ask at the end; close with a question that invites replies (3/10 on post 4, LinkedIn)", avoid.Text);
    }

    [Fact]
    public void Extract_MidPost_ReturnsNone()
    {
        var score = Score(hook: 7.9, callToAction: 5.1);

        Assert.Empty(LearningExtractor.Extract(Spec, score));
    }

    [Fact]
    public void Extract_ExactlyOnThresholds_ReturnsBoth()
    {
        var learnings = LearningExtractor.Extract(Spec, Score(hook: 8, callToAction: 5));

        Assert.Collection(
            learnings,
            keep => Assert.Equal(LearningKind.Keep, keep.Kind),
            avoid => Assert.Equal(LearningKind.Avoid, avoid.Kind));
    }

    [Fact]
    public void Extract_OnlyBestHigh_ReturnsKeepOnly()
    {
        var learnings = LearningExtractor.Extract(Spec, Score(hook: 9.5, callToAction: 6));

        var keep = Assert.Single(learnings);
        Assert.Equal(LearningKind.Keep, keep.Kind);
        Assert.Contains("(9.5/10 on post 4, LinkedIn)", keep.Text);
    }

    [Fact]
    public void Extract_OnlyWorstLow_ReturnsAvoidOnly()
    {
        var learnings = LearningExtractor.Extract(Spec, Score(hook: 7, callToAction: 2));

        var avoid = Assert.Single(learnings);
        Assert.Equal(LearningKind.Avoid, avoid.Kind);
        Assert.Equal(QualityCriterion.CallToAction, avoid.Criterion);
    }

    [Fact]
    public void Extract_ManyHighAndLowCriteria_ReturnsAtMostTwo()
    {
        var breakdown = new[]
        {
            new CriterionScore(QualityCriterion.Hook, 10, "Opens with a number."),
            new CriterionScore(QualityCriterion.Clarity, 9, "Plain words."),
            new CriterionScore(QualityCriterion.Specificity, 1, "No figures."),
            new CriterionScore(QualityCriterion.CallToAction, 0, "No ask."),
            new CriterionScore(QualityCriterion.PlatformFit, 10, "Fits."),
            new CriterionScore(QualityCriterion.Readability, 2, "Wall of text."),
        };

        var learnings = LearningExtractor.Extract(Spec, new QualityScore(Rubric.Overall(breakdown), breakdown, "test"));

        Assert.Equal(2, learnings.Count);
        Assert.Equal(QualityCriterion.Hook, learnings[0].Criterion);
        Assert.Equal(QualityCriterion.CallToAction, learnings[1].Criterion);
    }

    [Fact]
    public void Extract_EveryCriterion_TextStartsWithItsLabelAndAColon()
    {
        foreach (var criterion in Enum.GetValues<QualityCriterion>())
        {
            var breakdown = Enum.GetValues<QualityCriterion>()
                .Select(c => new CriterionScore(c, c == criterion ? 10 : 6, "Reason."))
                .ToArray();

            var learning = Assert.Single(LearningExtractor.Extract(Spec, new QualityScore(70, breakdown, "test")));

            Assert.StartsWith(LearningExtractor.Label(criterion) + ": ", learning.Text);
            Assert.Equal(criterion, learning.Criterion);
        }
    }

    [Theory]
    [InlineData(QualityCriterion.Hook, "Hook")]
    [InlineData(QualityCriterion.Clarity, "Clarity")]
    [InlineData(QualityCriterion.Specificity, "Specificity")]
    [InlineData(QualityCriterion.CallToAction, "Call to action")]
    [InlineData(QualityCriterion.PlatformFit, "Platform fit")]
    [InlineData(QualityCriterion.Readability, "Readability")]
    public void Label_Criterion_ReturnsExactLabel(QualityCriterion criterion, string label)
    {
        Assert.Equal(label, LearningExtractor.Label(criterion));
    }

    [Fact]
    public void Extract_LongReason_KeepsTextWithin160Characters()
    {
        var reason = string.Concat(Enumerable.Repeat("Move the link out of the body and say it is in the first comment. ", 5));
        var score = Score(hook: 7, callToAction: 1, callToActionReason: reason);

        var avoid = Assert.Single(LearningExtractor.Extract(Spec, score));

        Assert.True(avoid.Text.Length <= 160, avoid.Text);
        Assert.StartsWith("Call to action: move the link", avoid.Text);
        Assert.EndsWith("… (1/10 on post 4, LinkedIn)", avoid.Text);
    }

    [Fact]
    public void Extract_ReasonStartingWithPlatformName_KeepsItsCapital()
    {
        var score = Score(hook: 7, callToAction: 1, callToActionReason: "LinkedIn readers expect a question at the end.");

        var avoid = Assert.Single(LearningExtractor.Extract(Spec, score));

        Assert.Equal("Call to action: LinkedIn readers expect a question at the end (1/10 on post 4, LinkedIn)", avoid.Text);
    }

    [Fact]
    public async Task Extract_RubricScoreOfStrongPost_KeepsItsBestCriterion()
    {
        var score = await new RubricQualityScorer().ScoreAsync(Spec, Tests.Quality.RubricQualityScorerTests.StrongLinkedInPost);

        var learnings = LearningExtractor.Extract(Spec, score);

        var keep = Assert.Single(learnings, l => l.Kind == LearningKind.Keep);
        Assert.True(keep.Text.Length <= 160);
        Assert.All(learnings, l => Assert.IsType<LearningRecord>(l));
    }

    private static QualityScore Score(double hook, double callToAction, string callToActionReason = "Ends with a question.")
    {
        CriterionScore[] breakdown =
        [
            new(QualityCriterion.Hook, hook, "Opens with a concrete number."),
            new(QualityCriterion.Clarity, 6.5, "Plain words."),
            new(QualityCriterion.Specificity, 6.5, "Some figures."),
            new(QualityCriterion.CallToAction, callToAction, callToActionReason),
            new(QualityCriterion.PlatformFit, 6.5, "Fits."),
            new(QualityCriterion.Readability, 6.5, "Readable."),
        ];

        return new QualityScore(Rubric.Overall(breakdown), breakdown, "test");
    }
}
