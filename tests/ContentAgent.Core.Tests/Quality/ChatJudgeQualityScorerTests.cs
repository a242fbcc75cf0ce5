using ContentAgent.Planning;
using ContentAgent.Quality;
using Microsoft.Extensions.AI;

namespace ContentAgent.Tests.Quality;

public class ChatJudgeQualityScorerTests
{
    private const string ValidVerdict = """
        {
          "hook": { "score": 9, "reason": "Opens with a concrete number." },
          "clarity": { "score": 7, "reason": "One idea, a little wordy in the middle." },
          "specificity": { "score": 8, "reason": "Backs the point with figures." },
          "callToAction": { "score": 4, "reason": "No question at the end: ask one." },
          "platformFit": { "score": 10, "reason": "Fits LinkedIn." },
          "readability": { "score": 6, "reason": "Split the third paragraph." }
        }
        """;

    private static readonly PostSpec Spec = new(4, Platform.LinkedIn, "AI", "Lessons from failed pilots");

    [Fact]
    public async Task ScoreAsync_ValidVerdict_ParsesEveryCriterionAndUsesRubricWeights()
    {
        var client = Reply(ValidVerdict);
        var scorer = new ChatJudgeQualityScorer(client);

        var score = await scorer.ScoreAsync(Spec, RubricQualityScorerTests.StrongLinkedInPost);

        Assert.Equal("llm-judge", score.Scorer);
        Assert.Equal(Enum.GetValues<QualityCriterion>(), score.Breakdown.Select(c => c.Criterion));
        Assert.Equal([9d, 7, 8, 4, 10, 6], score.Breakdown.Select(c => c.Score));
        Assert.Equal("No question at the end: ask one.", score[QualityCriterion.CallToAction]!.Reason);
        var expected = ((0.20 * 9) + (0.15 * 7) + (0.20 * 8) + (0.15 * 4) + (0.15 * 10) + (0.15 * 6)) * 10;
        Assert.Equal(Math.Round(expected, 1), score.Overall, 6);
        Assert.Equal(Rubric.Overall(score.Breakdown), score.Overall);
    }

    [Fact]
    public async Task ScoreAsync_AnyPost_AsksWithCriteriaRulesPostAndJsonSchema()
    {
        var client = Reply(ValidVerdict);
        var scorer = new ChatJudgeQualityScorer(client);

        await scorer.ScoreAsync(Spec, RubricQualityScorerTests.StrongLinkedInPost);

        var (messages, options) = Assert.Single(client.Requests);
        var system = messages[0].Text;
        var user = messages[^1].Text;
        Assert.Equal(ChatRole.System, messages[0].Role);
        Assert.Contains("callToAction", system);
        Assert.Contains("0 (absent) to 10 (excellent)", system);
        Assert.Contains("Max length: 3000 characters", user);
        Assert.Contains(PlatformRules.For(Platform.LinkedIn).LinkHandling, user);
        Assert.Contains("3 mistakes that sink most AI pilots", user);
        var format = Assert.IsType<ChatResponseFormatJson>(options?.ResponseFormat);
        Assert.NotNull(format.Schema);
    }

    [Fact]
    public async Task ScoreAsync_OutOfRangeScores_ClampsToZeroToTen()
    {
        var client = Reply("""
            {
              "hook": { "score": 14, "reason": "Great." },
              "clarity": { "score": -3, "reason": "Unclear." },
              "specificity": { "score": 7.26, "reason": "Some figures." },
              "callToAction": { "score": 10, "reason": "Clear ask." },
              "platformFit": { "score": 10.5, "reason": "Fits." },
              "readability": { "score": 0, "reason": "Wall of text." }
            }
            """);
        var scorer = new ChatJudgeQualityScorer(client);

        var score = await scorer.ScoreAsync(Spec, "A post.");

        Assert.Equal([10d, 0, 7.3, 10, 10, 0], score.Breakdown.Select(c => c.Score));
        Assert.Equal(Rubric.Overall(score.Breakdown), score.Overall);
    }

    [Theory]
    [InlineData("This is not JSON at all.")]
    [InlineData("{ \"hook\": { \"score\": 9, ")]
    [InlineData("")]
    public async Task ScoreAsync_MalformedVerdict_ThrowsANonTransientSchemaMismatch(string reply)
    {
        var scorer = new ChatJudgeQualityScorer(Reply(reply));

        var exception = await Assert.ThrowsAsync<ContentAgent.Providers.ChatProviderException>(() => scorer.ScoreAsync(Spec, "A post.").AsTask());
        Assert.False(exception.IsTransient);
        Assert.Contains("post 4", exception.Message);
    }

    [Fact]
    public async Task ScoreAsync_MissingCriterion_ThrowsANonTransientSchemaMismatch()
    {
        var scorer = new ChatJudgeQualityScorer(Reply("""
            {
              "hook": { "score": 9, "reason": "Strong." },
              "clarity": { "score": 7, "reason": "Fine." },
              "specificity": { "score": 8, "reason": "Figures." },
              "platformFit": { "score": 10, "reason": "Fits." },
              "readability": { "score": 6, "reason": "Dense." }
            }
            """));

        var exception = await Assert.ThrowsAsync<ContentAgent.Providers.ChatProviderException>(() => scorer.ScoreAsync(Spec, "A post.").AsTask());
        Assert.False(exception.IsTransient);
        Assert.Contains("CallToAction", exception.Message);
    }

    [Fact]
    public async Task ScoreAsync_Token_IsPassedToTheChatClient()
    {
        CancellationToken seen = default;
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, token) =>
            {
                seen = token;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, ValidVerdict)));
            },
        };
        using var cts = new CancellationTokenSource();

        await new ChatJudgeQualityScorer(client).ScoreAsync(Spec, "A post.", cts.Token);

        Assert.Equal(cts.Token, seen);
    }

    [Fact]
    public async Task ScoreAsync_CancelledDuringCall_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, token) =>
            {
                await cts.CancelAsync();
                token.ThrowIfCancellationRequested();
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, ValidVerdict));
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ChatJudgeQualityScorer(client).ScoreAsync(Spec, "A post.", cts.Token).AsTask());
    }

    [Fact]
    public async Task ScoreAsync_AlreadyCancelled_ThrowsWithoutCallingTheClient()
    {
        var client = Reply(ValidVerdict);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ChatJudgeQualityScorer(client).ScoreAsync(Spec, "A post.", cts.Token).AsTask());
        Assert.Equal(0, client.Calls);
    }

    [Fact]
    public async Task ScoreAsync_EmptyPost_ScoresZeroWithoutCallingTheClient()
    {
        var client = Reply(ValidVerdict);

        var score = await new ChatJudgeQualityScorer(client).ScoreAsync(Spec, "  \n ");

        Assert.Equal(0, score.Overall);
        Assert.All(score.Breakdown, c => Assert.Equal("Empty post.", c.Reason));
        Assert.Equal(0, client.Calls);
    }

    [Fact]
    public void Ctor_NullClient_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new ChatJudgeQualityScorer(null!));
    }

    private static TestChatClient Reply(string text) => new()
    {
        GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))),
    };
}
