using ContentAgent.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContentAgent.Tests.Providers;

public sealed class ChatProviderOptionsTests
{
    private const string Key = "ca-test-key-that-must-not-leak-42";

    private static ServiceProvider Build(IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddContentAgent(configuration.GetSection(ContentAgentOptions.SectionName));
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Defaults_AreOfflineWithNoLimits()
    {
        var options = new ChatProviderOptions();

        Assert.Equal(ChatMode.Offline, options.Mode);
        Assert.Equal(ChatProvider.OpenAI, options.Provider);
        Assert.Equal(TimeSpan.FromSeconds(60), options.CallTimeout);
        Assert.Equal(0, options.RateLimits.Requests);
        Assert.Equal(0, options.RateLimits.Tokens);
        Assert.Equal(0, options.RateLimits.ConcurrentCalls);
        Assert.Equal(TimeSpan.FromMinutes(1), options.RateLimits.Window);
        Assert.Empty(options.Prices);
    }

    [Fact]
    public void ToString_NamesModeProviderModelAndEndpointButNeverTheKey()
    {
        var live = new ChatProviderOptions { Mode = ChatMode.Live, Model = "gpt-4o-mini", ApiKey = Key };
        var ollama = new ChatProviderOptions { Mode = ChatMode.Live, Provider = ChatProvider.Ollama, Model = "llama3.1" };

        Assert.Equal("live · OpenAI · model gpt-4o-mini · https://api.openai.com/v1/", live.ToString());
        Assert.Equal("live · Ollama · model llama3.1 · http://localhost:11434/", ollama.ToString());
        Assert.StartsWith("offline", new ChatProviderOptions().ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, live.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_FromConfiguration_ReadsNestedLimitsBreakerAndPrices()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["ContentAgent:Chat:Mode"] = "Live",
            ["ContentAgent:Chat:Provider"] = "Ollama",
            ["ContentAgent:Chat:Model"] = "llama3.1",
            ["ContentAgent:Chat:Endpoint"] = "http://127.0.0.1:11434/",
            ["ContentAgent:Chat:RateLimits:Requests"] = "60",
            ["ContentAgent:Chat:RateLimits:Tokens"] = "90000",
            ["ContentAgent:Chat:RateLimits:ConcurrentCalls"] = "4",
            ["ContentAgent:Chat:CircuitBreaker:MinimumThroughput"] = "5",
            ["ContentAgent:Chat:Prices:llama3.1:InputPerMillionTokens"] = "0.5",
            ["ContentAgent:Chat:Prices:llama3.1:OutputPerMillionTokens"] = "1.5",
        });

        var options = services.GetRequiredService<IOptions<ChatProviderOptions>>().Value;

        Assert.Equal(ChatMode.Live, options.Mode);
        Assert.Equal(ChatProvider.Ollama, options.Provider);
        Assert.Equal(60, options.RateLimits.Requests);
        Assert.Equal(90000, options.RateLimits.Tokens);
        Assert.Equal(4, options.RateLimits.ConcurrentCalls);
        Assert.Equal(5, options.CircuitBreaker.MinimumThroughput);
        Assert.Equal(1.5m, options.Prices["LLAMA3.1"].OutputPerMillionTokens);
    }

    [Fact]
    public void Live_WithoutModelOrKey_FailsNamingBothSettings()
    {
        using var services = Build(new Dictionary<string, string?> { ["ContentAgent:Chat:Mode"] = "Live" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ChatProviderOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("ContentAgent:Chat:Model is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ContentAgent:Chat:ApiKey is required", StringComparison.Ordinal) && f.Contains("ContentAgent__Chat__ApiKey", StringComparison.Ordinal));
    }

    [Fact]
    public void Live_Ollama_NeedsNoKey()
    {
        using var services = Build(new Dictionary<string, string?> { ["ContentAgent:Chat:Mode"] = "Live", ["ContentAgent:Chat:Provider"] = "Ollama", ["ContentAgent:Chat:Model"] = "llama3.1" });

        var chat = services.GetRequiredService<IChatClient>();

        Assert.Equal("ollama", chat.GetService<ChatClientMetadata>()?.ProviderName);
    }

    [Theory]
    [InlineData("ContentAgent:Chat:Endpoint", "ftp://example.com/", "ContentAgent:Chat:Endpoint must be an absolute http or https address")]
    [InlineData("ContentAgent:Chat:RateLimits:Tokens", "100", "ContentAgent:Chat:RateLimits:Tokens (100) cannot hold one call")]
    [InlineData("ContentAgent:Chat:RateLimits:Requests", "-1", "Requests")]
    [InlineData("ContentAgent:Chat:RateLimits:Window", "00:00:00", "Window")]
    [InlineData("ContentAgent:Chat:CircuitBreaker:FailureRatio", "2", "FailureRatio")]
    [InlineData("ContentAgent:Chat:CallTimeout", "00:00:00", "CallTimeout")]
    public void Misconfiguration_FailsAtStartNamingTheSetting(string setting, string value, string expected)
    {
        using var services = Build(new Dictionary<string, string?> { [setting] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IChatClient>());

        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void ValidationFailures_NeverShowTheKey()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["ContentAgent:Chat:Mode"] = "Live",
            ["ContentAgent:Chat:ApiKey"] = Key,
            ["ContentAgent:Chat:Endpoint"] = "not a url",
        });

        var error = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IChatClient>());

        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Live_OpenAI_BuildsTheProviderBehindContentAgentsMiddleware()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["ContentAgent:Chat:Mode"] = "Live",
            ["ContentAgent:Chat:Model"] = "gpt-4o-mini",
            ["ContentAgent:Chat:ApiKey"] = Key,
            ["ContentAgent:Chat:Endpoint"] = "http://127.0.0.1:9/v1/",
        });

        var chat = services.GetRequiredService<IChatClient>();

        var metadata = chat.GetService<ChatClientMetadata>();
        Assert.Equal("openai", metadata?.ProviderName);
        Assert.Equal("gpt-4o-mini", metadata?.DefaultModelId);
        Assert.NotNull(chat.GetService<OpenTelemetryChatClient>());
    }

    [Fact]
    public void CacheResponses_WithoutACache_FailsWithTheFix()
    {
        using var services = Build(new Dictionary<string, string?> { ["ContentAgent:Chat:CacheResponses"] = "true" });

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IChatClient>());

        Assert.Contains("AddDistributedMemoryCache", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CacheResponses_WithACache_AnswersTheSamePromptOnce()
    {
        using var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(TestSupport.Reply("cached answer")) };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ContentAgent:Chat:CacheResponses"] = "true" }).Build();
        var collection = new ServiceCollection();
        collection.AddDistributedMemoryCache();
        collection.AddContentAgent(configuration.GetSection(ContentAgentOptions.SectionName));
        await using var services = collection.BuildServiceProvider();
        var cache = services.GetRequiredService<Microsoft.Extensions.Caching.Distributed.IDistributedCache>();
        var chat = new ChatClientBuilder(inner).UseDistributedCache(cache).UseContentAgentRateLimits().UseContentAgentResilience().Build(services);

        var first = await chat.GetResponseAsync("Write about AI");
        var second = await chat.GetResponseAsync("Write about AI");

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(1, inner.Calls);
        Assert.NotNull(services.GetRequiredService<IChatClient>().GetService<DistributedCachingChatClient>());
    }
}
