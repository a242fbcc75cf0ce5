using ContentAgent.Batches;
using ContentAgent.Generation;
using ContentAgent.Learning;
using ContentAgent.Planning;
using ContentAgent.Quality;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace ContentAgent.Tests.Generation;

public sealed class PostPromptTests
{
    [Fact]
    public void Build_CarriesTheSpecThePlatformRulesTheVoiceAndTheLearnings()
    {
        var learnings = PostPrompt.RenderLearnings([new(LearningKind.Avoid, "Call to action: no ask at the end (3/10 on post 2, X)", QualityCriterion.CallToAction, 2)]);

        var messages = PostPrompt.Build(new PostSpec(3, Platform.X, "remote work", "a myth debunked"), "Warm and plain.", learnings);

        Assert.Equal([ChatRole.System, ChatRole.User], messages.Select(m => m.Role));
        var user = messages[1].Text;
        Assert.StartsWith("## Post\nIndex: 3\nPlatform: X\nTopic: remote work\nAngle: a myth debunked\n", user, StringComparison.Ordinal);
        Assert.Contains("Max length: 280 characters", user, StringComparison.Ordinal);
        Assert.Contains("Hashtags: 1-2, at the end", user, StringComparison.Ordinal);
        Assert.Contains("Emoji: at most 1", user, StringComparison.Ordinal);
        Assert.Contains("Links: At most one link", user, StringComparison.Ordinal);
        Assert.Contains("## Brand voice\nWarm and plain.", user, StringComparison.Ordinal);
        Assert.Contains("## Learnings from earlier posts\n- Avoid: Call to action: no ask at the end", user, StringComparison.Ordinal);
        Assert.EndsWith("Write the post now. Return only its text.", user, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoVoiceNoLearnings_LeavesThoseSectionsOut()
    {
        var user = PostPrompt.Build(new PostSpec(1, Platform.EmailNewsletter, "AI", "a checklist"), "  ", string.Empty)[1].Text;

        Assert.DoesNotContain("## Brand voice", user, StringComparison.Ordinal);
        Assert.DoesNotContain("## Learnings", user, StringComparison.Ordinal);
        Assert.Contains("Platform: Email newsletter", user, StringComparison.Ordinal);
        Assert.Contains("Hashtags: 0-0", user, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_PromptsCarryTheBrandVoiceAndTheGrowingLearningContext()
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(TestSupport.Reply("Post. Agree?")) };
        var scorer = new CallbackScorer((_, _) => TestSupport.Score(9.5));
        await using var services = TestSupport.Services(
            o => o.BrandVoice = "Dry humour, no jargon.",
            s => s.AddSingleton<IChatClient>(client).AddSingleton<IQualityScorer>(scorer));

        await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(3));

        var prompts = client.Requests.Select(r => r.Messages[^1].Text).ToList();
        Assert.All(prompts, p => Assert.Contains("## Brand voice\nDry humour, no jargon.", p, StringComparison.Ordinal));
        Assert.DoesNotContain("## Learnings", prompts[0], StringComparison.Ordinal);
        Assert.Contains("on post 1, LinkedIn)", prompts[1], StringComparison.Ordinal);
        Assert.Contains("on post 2, LinkedIn)", prompts[2], StringComparison.Ordinal);
    }
}
