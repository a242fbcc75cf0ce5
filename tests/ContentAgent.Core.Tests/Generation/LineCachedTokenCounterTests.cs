using ContentAgent.Generation;
using ContentAgent.Planning;
using Microsoft.Extensions.AI;

namespace ContentAgent.Tests.Generation;

public sealed class LineCachedTokenCounterTests
{
    public static TheoryData<string> Texts => new()
    {
        "one line",
        "two\nlines",
        "blank\n\nline between",
        "trailing spaces   \n  leading spaces\n",
        "windows\r\nline\r\n\r\nbreaks",
        "punctuation at the end!?\n(brackets)\n- bullets: yes\n#Hashtag #Another\n",
        "emoji 🚀🔥 and ZWJ 👩‍💻\nCJK 内容营销 テスト\nRTL مرحبا بالعالم\n",
        "\n\n\nstarts with breaks",
        "ends with breaks\n\n\n",
        "numbers 12345 1,000 3.14%\n$99 €5\n",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void CountTokens_EqualsTheTokenizerOnTheWholeText(string text)
    {
        var tokenizer = DefaultTokenizer.Instance;
        var counter = new LineCachedTokenCounter(tokenizer);

        Assert.Equal(tokenizer.CountTokens(text), counter.CountTokens(text));
        Assert.Equal(tokenizer.CountTokens(text), counter.CountTokens(text)); // from the cache
    }

    [Fact]
    public async Task CountTokens_EqualsTheTokenizerOnRealPromptsAndPosts()
    {
        var tokenizer = DefaultTokenizer.Instance;
        var counter = new LineCachedTokenCounter(tokenizer, capacity: 64);
        using var writer = new OfflineChatClient();
        var learnings = string.Empty;
        for (var i = 1; i <= 60; i++)
        {
            var spec = new PostSpec(i, (Platform)(i % 6), i % 3 == 0 ? "remote work" : "AI agents", BatchPlanner.Angles[i % 12]);
            var messages = PostPrompt.Build(spec, i % 2 == 0 ? "Warm, plain-spoken.\nNo jargon." : null, learnings);
            var post = (await writer.GetResponseAsync(messages)).Text;
            foreach (var text in messages.Select(m => m.Text).Append(post))
            {
                Assert.Equal(tokenizer.CountTokens(text), counter.CountTokens(text));
            }

            learnings = PostPrompt.RenderLearnings([new(ContentAgent.Learning.LearningKind.Keep, $"Hook: opens with a number ({i % 10}/10 on post {i}, {spec.Platform})", ContentAgent.Quality.QualityCriterion.Hook, i)]);
        }
    }

    [Fact]
    public void CountTokens_EmptyOrNull_IsZero()
    {
        var counter = new LineCachedTokenCounter(DefaultTokenizer.Instance);

        Assert.Equal(0, counter.CountTokens(null));
        Assert.Equal(0, counter.CountTokens(string.Empty));
    }
}
