using ContentAgent.Generation;
using ContentAgent.Learning;
using ContentAgent.Planning;
using ContentAgent.Quality;

namespace ContentAgent.Tests.Learning;

public sealed class LearningContextTests
{
    private static List<ContentAgent.Learning.Learning> RealLearnings()
    {
        var scorer = new RubricQualityScorer();
        using var writer = new OfflineChatClient();
        var learnings = new List<ContentAgent.Learning.Learning>();
        for (var i = 1; i <= 40; i++)
        {
            var spec = new PostSpec(i, (Platform)(i % 6), i % 2 == 0 ? "AI" : "remote work", $"angle {i}");
            var text = writer.GetResponseAsync(PostPrompt.Build(spec, null, string.Empty)).GetAwaiter().GetResult().Text;
            learnings.AddRange(LearningExtractor.Extract(spec, RubricQualityScorer.Score(spec, text)));
        }

        return learnings;
    }

    [Fact]
    public void Tokens_CountedLineByLine_EqualTheCountOfTheWholeContext()
    {
        var tokenizer = DefaultTokenizer.Instance;
        var learnings = RealLearnings();
        Assert.True(learnings.Count > 20);
        var context = new LearningContext(tokenizer, []);

        foreach (var learning in learnings)
        {
            context.Add([learning]);
            var (text, tokens) = context.Render();
            Assert.Equal(tokenizer.CountTokens(text), tokens);
        }
    }

    [Fact]
    public void Add_ReturnsTheTokensAdded_AndReplaceStartsOver()
    {
        var context = new LearningContext(DefaultTokenizer.Instance, []);
        Assert.Equal(0, context.Tokens);
        Assert.Equal(string.Empty, context.Render().Text);

        var added = context.Add([new(LearningKind.Keep, "Hook: opens with a number (9/10 on post 1, X)", QualityCriterion.Hook, 1)]);
        Assert.True(added > 0);
        Assert.True(context.Tokens > added); // plus the section header

        context.Replace([]);
        Assert.Equal(0, context.Tokens);
    }

    [Fact]
    public async Task OfflineCompactor_MergesByCriterionAndFitsTheTarget()
    {
        var learnings = RealLearnings();
        var compactor = new OfflineContextCompactor(DefaultTokenizer.Instance);

        var result = await compactor.CompactAsync(new CompactionRequest(learnings, 120));

        Assert.Equal("offline", result.Method);
        Assert.True(result.Learnings.Count < learnings.Count);
        Assert.True(DefaultTokenizer.Instance.CountTokens(PostPrompt.RenderLearnings(result.Learnings)) <= 120);
        Assert.Equal(result.Learnings.Count, result.Learnings.Select(l => (l.Kind, l.Criterion)).Distinct().Count());
        Assert.All(result.Learnings, l => Assert.Contains("(seen in ", l.Text, StringComparison.Ordinal));
        Assert.True(result.Learnings.Zip(result.Learnings.Skip(1)).All(p => p.First.Weight >= p.Second.Weight));
    }

    [Fact]
    public async Task OfflineCompactor_TargetBelowOneLine_KeepsTheStrongestLine()
    {
        var compactor = new OfflineContextCompactor(DefaultTokenizer.Instance);

        var result = await compactor.CompactAsync(new CompactionRequest(RealLearnings(), 1));

        Assert.Single(result.Learnings);
    }
}
