using ContentAgent.Batches;
using ContentAgent.Delivery.Packaging;
using ContentAgent.Planning;
using Microsoft.Extensions.DependencyInjection;

namespace ContentAgent.Tests.Delivery.Packaging;

/// <summary>Batches to package: real offline batches, and one with the hard cases (emoji, right-to-left, CJK, markup, 10,000 characters).</summary>
internal static class PackageSamples
{
    /// <summary>Text no renderer may mangle: each case's distinctive words must be found again in the output.</summary>
    public const string Emoji = "Ship it 🚀 and celebrate 🎉 with the team.";
    public const string Arabic = "الذكاء الاصطناعي يغير طريقة عملنا كل يوم.";
    public const string Hebrew = "בינה מלאכותית משנה את העבודה שלנו.";
    public const string Chinese = "人工智能正在改变我们的工作方式。";
    public const string Japanese = "リモートワークの生産性を高める三つの習慣。";
    public const string Markup = "<script>alert('owned')</script><b>bold claim</b> & \"quotes\" <img src=x onerror=alert(1)>";

    /// <summary>Runs a real offline batch of <paramref name="posts"/> posts (LinkedIn and X, three topics).</summary>
    public static async Task<BatchResult> OfflineBatchAsync(int posts = 50, string planId = "20261123-120000-pack")
    {
        await using var services = new ServiceCollection().AddContentAgent(o => o.MaxPostsPerBatch = 1000).Services.BuildServiceProvider();
        var topics = posts >= 3 ? "AI, productivity and remote work" : "AI";
        var plan = await services.GetRequiredService<IBatchPlanner>().PlanAsync("default", $"Create {posts} posts for LinkedIn and X about {topics}");
        plan = plan with { PlanId = planId };
        return await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(plan);
    }

    /// <summary>An offline batch whose first posts carry the hard cases, one failed post and one 10,000-character post.</summary>
    public static async Task<BatchResult> HardCasesAsync(string planId = "20261123-120000-hard")
    {
        var batch = await OfflineBatchAsync(12, planId);
        string[] texts = [Emoji, Arabic + " " + Hebrew, Chinese + " " + Japanese, Markup, LongText(10_000)];
        var posts = batch.Posts.ToArray();
        for (var i = 0; i < texts.Length; i++)
        {
            posts[i] = posts[i] with { Text = texts[i] };
        }

        posts[^1] = posts[^1] with { Status = PostStatus.Failed, Text = null, Score = null, Error = "Failed after 3 attempt(s): the provider answered 503." };
        posts[1] = posts[1] with { Spec = posts[1].Spec with { Topic = "AI <i>and</i> \"trust\"" } };
        return batch with { Posts = posts };
    }

    /// <summary>A batch whose posts all failed: nothing to package.</summary>
    public static async Task<BatchResult> NothingDoneAsync()
    {
        var batch = await OfflineBatchAsync(3, "20261123-120000-none");
        return batch with { Posts = [.. batch.Posts.Select(static p => p with { Status = PostStatus.Failed, Text = null, Score = null, Error = "failed" })] };
    }

    /// <summary>Readable text of about <paramref name="length"/> characters, in sentences and paragraphs, ending with a marker.</summary>
    public static string LongText(int length)
    {
        var text = new System.Text.StringBuilder();
        var sentence = 0;
        while (text.Length < length - 40)
        {
            text.Append("Sentence ").Append(++sentence).Append(" of a very long post explains one more step of the plan in plain words. ");
            if (sentence % 6 == 0)
            {
                text.Append("\n\n");
            }
        }

        return text.Append("END-OF-LONG-POST").ToString();
    }

    public static ServiceProvider Services(Action<PackagingOptions>? branding = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddContentAgent().AddDelivery();
        if (branding is not null)
        {
            builder.ConfigurePackaging(branding);
        }

        return services.BuildServiceProvider();
    }
}
