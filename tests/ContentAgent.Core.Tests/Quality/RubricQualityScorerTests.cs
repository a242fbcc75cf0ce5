using ContentAgent.Planning;
using ContentAgent.Quality;

namespace ContentAgent.Tests.Quality;

public class RubricQualityScorerTests
{
    internal const string StrongLinkedInPost =
        "3 mistakes that sink most AI pilots (and how we fixed them).\n" +
        "\n" +
        "Last year we ran 14 AI pilots across sales and support. Only 4 reached production.\n" +
        "\n" +
        "Here is what we learned:\n" +
        "\n" +
        "1. We picked the use case before the data. Fix: start with a dataset you already trust.\n" +
        "2. We measured demos, not outcomes. Fix: agree on one metric, e.g. hours saved per week.\n" +
        "3. We skipped the people who do the work. Fix: put two frontline users on the team from day one.\n" +
        "\n" +
        "The result: our next 6 pilots shipped in 9 weeks on average, and support cut reply time by 32%.\n" +
        "\n" +
        "Which of these mistakes have you seen in your team?\n" +
        "\n" +
        "#AI #Leadership #DigitalTransformation";

    internal const string WeakLinkedInPost =
        "Some thoughts on AI in marketing. In today's fast-paced world it goes without saying that AI is really very " +
        "important for basically every business and at the end of the day we all need to leverage synergies and think " +
        "about how these tools can really help our teams do more with less and be very productive in ways that are " +
        "basically new and exciting for everyone involved in the whole process of modern marketing and sales work.";

    private const string Body =
        "\n\nLast year we moved our weekly report to a two-line summary. Readers stayed to the end.\n\n" +
        "For example, the churn section went from 900 words to 3 bullet points.";

    private static readonly PostSpec LinkedIn = new(1, Platform.LinkedIn, "AI", "Lessons from failed pilots");
    private static readonly PostSpec X = new(2, Platform.X, "AI", "One sharp lesson");

    private static readonly RubricQualityScorer Scorer = new();

    [Fact]
    public async Task ScoreAsync_StrongAndWeakPostOnSameSpec_StrongScoresAtLeast75AndWeakAtMost50()
    {
        var strong = await Scorer.ScoreAsync(LinkedIn, StrongLinkedInPost);
        var weak = await Scorer.ScoreAsync(LinkedIn, WeakLinkedInPost);

        Assert.True(strong.Overall >= 75, Describe(strong));
        Assert.True(weak.Overall <= 50, Describe(weak));
    }

    [Fact]
    public async Task ScoreAsync_AnyPost_ReportsRubricScorerName()
    {
        var score = await Scorer.ScoreAsync(LinkedIn, StrongLinkedInPost);

        Assert.Equal("rubric", score.Scorer);
        Assert.Equal(RubricQualityScorer.ScorerName, score.Scorer);
    }

    [Fact]
    public async Task ScoreAsync_AnyPost_BreakdownHasAllSixCriteriaInEnumOrder()
    {
        var score = await Scorer.ScoreAsync(LinkedIn, WeakLinkedInPost);

        Assert.Equal(Enum.GetValues<QualityCriterion>(), score.Breakdown.Select(c => c.Criterion));
        Assert.All(score.Breakdown, c =>
        {
            Assert.InRange(c.Score, 0, 10);
            Assert.False(string.IsNullOrWhiteSpace(c.Reason));
        });
    }

    [Theory]
    [InlineData(StrongLinkedInPost)]
    [InlineData(WeakLinkedInPost)]
    public async Task ScoreAsync_AnyPost_OverallIsWeightedMeanTimesTen(string text)
    {
        var score = await Scorer.ScoreAsync(LinkedIn, text);

        var expected =
            (0.20 * score[QualityCriterion.Hook]!.Score) +
            (0.15 * score[QualityCriterion.Clarity]!.Score) +
            (0.20 * score[QualityCriterion.Specificity]!.Score) +
            (0.15 * score[QualityCriterion.CallToAction]!.Score) +
            (0.15 * score[QualityCriterion.PlatformFit]!.Score) +
            (0.15 * score[QualityCriterion.Readability]!.Score);
        Assert.Equal(Math.Round(expected * 10, 1), score.Overall, 6);
        Assert.InRange(score.Overall, 0, 100);
    }

    [Fact]
    public async Task ScoreAsync_SamePostTwice_ReturnsTheSameScore()
    {
        var first = await Scorer.ScoreAsync(LinkedIn, StrongLinkedInPost);
        var second = await new RubricQualityScorer().ScoreAsync(LinkedIn, StrongLinkedInPost);

        Assert.Equal(first.Overall, second.Overall);
        Assert.Equal(first.Breakdown, second.Breakdown);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n\t  \n")]
    public async Task ScoreAsync_EmptyText_ScoresZeroEverywhereWithEmptyPostReason(string text)
    {
        var score = await Scorer.ScoreAsync(LinkedIn, text);

        Assert.Equal(0, score.Overall);
        Assert.Equal(6, score.Breakdown.Count);
        Assert.All(score.Breakdown, c =>
        {
            Assert.Equal(0, c.Score);
            Assert.Equal("Empty post.", c.Reason);
        });
    }

    [Fact]
    public async Task ScoreAsync_CancelledToken_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Scorer.ScoreAsync(LinkedIn, StrongLinkedInPost, cts.Token).AsTask());
    }

    [Fact]
    public async Task ScoreAsync_NumberInHook_RaisesHook()
    {
        var plain = await Scorer.ScoreAsync(LinkedIn, "Our team changed the way we write weekly reports for everyone" + Body);
        var number = await Scorer.ScoreAsync(LinkedIn, "We cut our weekly report from 12 pages to 2" + Body);

        Assert.True(number[QualityCriterion.Hook]!.Score > plain[QualityCriterion.Hook]!.Score);
        Assert.Equal("Opens with a concrete number.", number[QualityCriterion.Hook]!.Reason);
    }

    [Fact]
    public async Task ScoreAsync_QuestionOrBoldClaimInHook_ScoresStrong()
    {
        var question = await Scorer.ScoreAsync(LinkedIn, "Why do reports nobody reads keep growing?" + Body);
        var claim = await Scorer.ScoreAsync(LinkedIn, "Stop writing reports nobody reads." + Body);

        Assert.True(question[QualityCriterion.Hook]!.Score >= 8);
        Assert.True(claim[QualityCriterion.Hook]!.Score >= 8);
    }

    [Fact]
    public async Task ScoreAsync_GenericOpener_ScoresLowHookWithActionableReason()
    {
        var score = await Scorer.ScoreAsync(LinkedIn, "Let's talk about weekly reports" + Body);

        Assert.True(score[QualityCriterion.Hook]!.Score <= 2);
        Assert.Equal("Generic opening line: lead with a number, a question or a bold claim.", score[QualityCriterion.Hook]!.Reason);
    }

    [Fact]
    public async Task ScoreAsync_QuestionAddedAtEnd_RaisesCallToAction()
    {
        const string Post = "We cut our weekly report from 12 pages to 2" + Body;

        var without = await Scorer.ScoreAsync(LinkedIn, Post);
        var with = await Scorer.ScoreAsync(LinkedIn, Post + "\n\nWhat would you cut from yours?\n\n#Reporting #Leadership #Management");

        Assert.True(without[QualityCriterion.CallToAction]!.Score <= 3, without[QualityCriterion.CallToAction]!.Reason);
        Assert.True(with[QualityCriterion.CallToAction]!.Score >= 9, with[QualityCriterion.CallToAction]!.Reason);
        Assert.StartsWith("No ask at the end", without[QualityCriterion.CallToAction]!.Reason);
    }

    [Fact]
    public async Task ScoreAsync_ImperativeAskAtEnd_RaisesCallToAction()
    {
        const string Post = "We cut our weekly report from 12 pages to 2" + Body;

        var without = await Scorer.ScoreAsync(LinkedIn, Post);
        var with = await Scorer.ScoreAsync(LinkedIn, Post + "\n\nFollow me for the template next week.");

        Assert.True(with[QualityCriterion.CallToAction]!.Score > without[QualityCriterion.CallToAction]!.Score);
    }

    [Theory]
    [InlineData("Let me know how you handle it.")]
    [InlineData("Try it on your next report.")]
    [InlineData("Comment \"template\" and I will send it.")]
    public async Task ScoreAsync_AskPhraseInLastLine_ScoresClearAsk(string ending)
    {
        var score = await Scorer.ScoreAsync(LinkedIn, "We cut our weekly report from 12 pages to 2" + Body + "\n\n" + ending);

        Assert.Equal(8, score[QualityCriterion.CallToAction]!.Score);
    }

    [Fact]
    public async Task ScoreAsync_QuestionOnlyMidPost_ScoresWeakCallToAction()
    {
        var score = await Scorer.ScoreAsync(LinkedIn, "Why do reports keep growing?" + Body);

        Assert.Equal(4, score[QualityCriterion.CallToAction]!.Score);
    }

    [Fact]
    public async Task ScoreAsync_OverMaxLength_ScoresZeroPlatformFit()
    {
        var text = "We cut our weekly report from 12 pages to 2. " + new string('a', 260) + " #Reporting";
        Assert.True(text.Length > PlatformRules.For(Platform.X).MaxLength);

        var score = await Scorer.ScoreAsync(X, text);

        Assert.Equal(0, score[QualityCriterion.PlatformFit]!.Score);
        Assert.Contains("280-character limit", score[QualityCriterion.PlatformFit]!.Reason);
    }

    [Fact]
    public async Task ScoreAsync_XPostWithTenHashtags_ScoresLowerPlatformFitThanWithOne()
    {
        const string Post = "We cut our weekly report from 12 pages to 2. Readers now finish it, and 3 teams copied the format. What would you cut?";

        var one = await Scorer.ScoreAsync(X, Post + " #Reporting");
        var ten = await Scorer.ScoreAsync(X, Post + " #a #b #c #d #e #f #g #h #i #j");

        Assert.True(ten[QualityCriterion.PlatformFit]!.Score < one[QualityCriterion.PlatformFit]!.Score);
        Assert.Contains("found 10", ten[QualityCriterion.PlatformFit]!.Reason);
    }

    [Fact]
    public async Task ScoreAsync_EmojiOverTheLimit_LowersPlatformFit()
    {
        const string Post = "We cut our weekly report from 12 pages to 2. Readers now finish it, and 3 teams copied it. What would you cut? #Reporting";

        var calm = await Scorer.ScoreAsync(X, Post + " 🚀");
        var loud = await Scorer.ScoreAsync(X, Post + " 🚀🔥💡✅ 👩‍💻");

        Assert.True(loud[QualityCriterion.PlatformFit]!.Score < calm[QualityCriterion.PlatformFit]!.Score);
        Assert.Contains("at most 1 emoji", loud[QualityCriterion.PlatformFit]!.Reason);
        Assert.Contains("found 5", loud[QualityCriterion.PlatformFit]!.Reason);
    }

    [Fact]
    public async Task ScoreAsync_LinkInLinkedInBody_LowersPlatformFit()
    {
        var without = await Scorer.ScoreAsync(LinkedIn, StrongLinkedInPost);
        var with = await Scorer.ScoreAsync(LinkedIn, StrongLinkedInPost.Replace("Here is what we learned:", "Here is what we learned (https://example.com/pilots):", StringComparison.Ordinal));

        Assert.True(with[QualityCriterion.PlatformFit]!.Score < without[QualityCriterion.PlatformFit]!.Score);
        Assert.Contains("first comment", with[QualityCriterion.PlatformFit]!.Reason);
    }

    [Fact]
    public async Task ScoreAsync_StrongLinkedInPost_FitsThePlatform()
    {
        var score = await Scorer.ScoreAsync(LinkedIn, StrongLinkedInPost);

        Assert.Equal(10, score[QualityCriterion.PlatformFit]!.Score);
    }

    [Fact]
    public async Task ScoreAsync_Filler_LowersClarity()
    {
        const string Plain = "We cut our weekly report from 12 pages to 2. Readers finish it now.";
        const string Padded = "In today's fast-paced world, we basically cut our very long weekly report from 12 pages to 2. Readers really finish it now.";

        var plain = await Scorer.ScoreAsync(LinkedIn, Plain);
        var padded = await Scorer.ScoreAsync(LinkedIn, Padded);

        Assert.Equal(10, plain[QualityCriterion.Clarity]!.Score);
        Assert.True(padded[QualityCriterion.Clarity]!.Score <= 5);
        Assert.Contains("in today's fast-paced world", padded[QualityCriterion.Clarity]!.Reason);
    }

    [Fact]
    public async Task ScoreAsync_WordContainingFiller_DoesNotLowerClarity()
    {
        var score = await Scorer.ScoreAsync(LinkedIn, "Every delivery team tried it. Everyone agreed.");

        Assert.Equal(10, score[QualityCriterion.Clarity]!.Score);
    }

    [Fact]
    public async Task ScoreAsync_FiguresExamplesAndSteps_RaiseSpecificity()
    {
        var vague = await Scorer.ScoreAsync(LinkedIn, "Reports should be shorter.\n\nPeople like short things.");
        var concrete = await Scorer.ScoreAsync(LinkedIn, "Reports should be shorter.\n\n1. Cut to 2 pages.\n2. Lead with 3 numbers, e.g. churn at 4%.");

        Assert.Equal(2, vague[QualityCriterion.Specificity]!.Score);
        Assert.StartsWith("No figures, examples or steps", vague[QualityCriterion.Specificity]!.Reason);
        Assert.True(concrete[QualityCriterion.Specificity]!.Score >= 8);
    }

    [Fact]
    public async Task ScoreAsync_SingleLongBlock_ScoresLowReadability()
    {
        var score = await Scorer.ScoreAsync(LinkedIn, WeakLinkedInPost);
        var strong = await Scorer.ScoreAsync(LinkedIn, StrongLinkedInPost);

        Assert.True(score[QualityCriterion.Readability]!.Score <= 3, score[QualityCriterion.Readability]!.Reason);
        Assert.True(strong[QualityCriterion.Readability]!.Score >= 9, strong[QualityCriterion.Readability]!.Reason);
    }

    [Fact]
    public async Task ScoreAsync_LongParagraph_LowersReadability()
    {
        var sentences = string.Concat(Enumerable.Repeat("We cut the report to two pages. ", 20)).Trim();
        var broken = string.Join("\n\n", Enumerable.Repeat("We cut the report to two pages.", 20));

        var block = await Scorer.ScoreAsync(LinkedIn, "Short reports win.\n" + sentences);
        var airy = await Scorer.ScoreAsync(LinkedIn, "Short reports win.\n" + broken);

        Assert.True(block[QualityCriterion.Readability]!.Score < airy[QualityCriterion.Readability]!.Score);
        Assert.Contains("paragraph runs", block[QualityCriterion.Readability]!.Reason);
    }

    private static string Describe(QualityScore score) =>
        $"{score.Overall}: " + string.Join(" | ", score.Breakdown.Select(c => $"{c.Criterion} {c.Score} {c.Reason}"));
}
