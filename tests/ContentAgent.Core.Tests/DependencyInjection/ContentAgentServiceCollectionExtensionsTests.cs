using ContentAgent.Batches;
using ContentAgent.Generation;
using ContentAgent.Learning;
using ContentAgent.Planning;
using ContentAgent.Quality;
using ContentAgent.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContentAgent.Tests.DependencyInjection;

public sealed class ContentAgentServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddContentAgent_ResolvesEverySeamWithOfflineDefaults()
    {
        await using var services = new ServiceCollection().AddContentAgent().Services
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        // The offline writer, behind the same middleware a live provider gets.
        var chat = services.GetRequiredService<IChatClient>();
        Assert.IsType<OfflineChatClient>(chat.GetService<OfflineChatClient>());
        Assert.Equal("offline", chat.GetService<ChatClientMetadata>()?.ProviderName);
        Assert.NotNull(chat.GetService<OpenTelemetryChatClient>());
        Assert.NotNull(services.GetRequiredService<IBatchPlanner>());
        Assert.NotNull(services.GetRequiredService<IBatchRunner>());
        Assert.NotNull(services.GetRequiredService<IQualityScorer>());
        Assert.NotNull(services.GetRequiredService<IContextCompactor>());
        Assert.NotNull(services.GetRequiredService<ICheckpointGate>());
        Assert.NotNull(services.GetRequiredService<IBatchStore>());
    }

    [Fact]
    public async Task AddContentAgent_ChatClientRegisteredBefore_ReplacesTheOfflineWriter()
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(TestSupport.Reply("From the live client. Agree?")) };
        var collection = new ServiceCollection();
        collection.AddSingleton<IChatClient>(client);
        collection.AddContentAgent();
        await using var services = collection.BuildServiceProvider();

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(2));

        Assert.Same(client, services.GetRequiredService<IChatClient>());
        Assert.Equal(2, client.Calls);
        Assert.All(result.Posts, p => Assert.Equal("From the live client. Agree?", p.Text));
    }

    [Fact]
    public async Task AddContentAgent_ChatClientRegisteredAfter_ReplacesTheOfflineWriter()
    {
        using var client = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(TestSupport.Reply("Live. Agree?")) };
        var collection = new ServiceCollection();
        collection.AddContentAgent();
        collection.AddSingleton<IChatClient>(client);
        await using var services = collection.BuildServiceProvider();

        await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(1));

        Assert.Equal(1, client.Calls);
    }

    [Fact]
    public async Task AddContentAgent_CalledTwice_IsHarmlessAndKeepsBothConfigurations()
    {
        var collection = new ServiceCollection();
        collection.AddContentAgent(o => o.MaxPostsPerBatch = 7);
        var count = collection.Count;
        collection.AddContentAgent(o => o.CheckpointEvery = 3);
        await using var services = collection.BuildServiceProvider();

        Assert.Equal(count + 1, collection.Count); // only the second Configure
        Assert.Single(collection, d => d.ServiceType == typeof(IBatchRunner));
        var options = services.GetRequiredService<IOptions<ContentAgentOptions>>().Value;
        Assert.Equal(7, options.MaxPostsPerBatch);
        Assert.Equal(3, options.CheckpointEvery);
        await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(1));
    }

    [Fact]
    public async Task AddContentAgent_ConfigurationSection_BindsOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("ContentAgent:MaxParallelPosts", "4"),
            new("ContentAgent:PostTimeout", "00:00:30"),
            new("ContentAgent:BrandVoice", "Plain and warm"),
        ]).Build();
        await using var services = new ServiceCollection().AddContentAgent(configuration.GetSection("ContentAgent")).Services.BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<ContentAgentOptions>>().Value;

        Assert.Equal(4, options.MaxParallelPosts);
        Assert.Equal(TimeSpan.FromSeconds(30), options.PostTimeout);
        Assert.Equal("Plain and warm", options.BrandVoice);
    }

    [Fact]
    public async Task UseLlmJudge_ScoresThroughTheChatClient()
    {
        using var client = new TestChatClient();
        client.GetResponseAsyncCallback = (messages, options, _) => Task.FromResult(
            options?.ResponseFormat is ChatResponseFormatJson
                ? TestSupport.Reply("""{"hook":{"score":9,"reason":"r"},"clarity":{"score":8,"reason":"r"},"specificity":{"score":7,"reason":"r"},"callToAction":{"score":6,"reason":"r"},"platformFit":{"score":9,"reason":"r"},"readability":{"score":8,"reason":"r"}}""")
                : TestSupport.Reply("A post. Agree?"));
        var collection = new ServiceCollection();
        collection.AddSingleton<IChatClient>(client);
        collection.AddContentAgent().UseLlmJudge();
        await using var services = collection.BuildServiceProvider();

        var scorer = services.GetRequiredService<IQualityScorer>();

        Assert.NotEqual("rubric", (await scorer.ScoreAsync(new PostSpec(1, Platform.LinkedIn, "AI", "a take"), "A post. Agree?")).Scorer);
    }

    [Fact]
    public async Task UseCheckpointGate_ReplacesTheDefaultGate()
    {
        var collection = new ServiceCollection();
        collection.AddContentAgent().UseCheckpointGate<StopGate>();
        await using var services = collection.BuildServiceProvider();

        var result = await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(12));

        Assert.IsType<StopGate>(services.GetRequiredService<ICheckpointGate>());
        Assert.Equal(BatchStatus.Stopped, result.Status);
    }

    private sealed class StopGate : ICheckpointGate
    {
        public ValueTask<CheckpointDecision> DecideAsync(CheckpointStats stats, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(CheckpointDecision.Stop);
    }
}
