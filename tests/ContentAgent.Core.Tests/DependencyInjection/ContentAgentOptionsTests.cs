using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContentAgent.Tests.DependencyInjection;

public sealed class ContentAgentOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedSafeValues()
    {
        var options = new ContentAgentOptions();

        Assert.Equal(100, options.MaxPostsPerBatch);
        Assert.Equal(1, options.MaxParallelPosts);
        Assert.Equal(10, options.CheckpointEvery);
        Assert.Equal(10, options.CompactEvery);
        Assert.Equal(TimeSpan.FromMinutes(3), options.PostTimeout);
        Assert.Equal(3, options.MaxAttempts);
        Assert.True(options.CompactionTargetTokens < options.LearningContextTokenBudget);
        Assert.Null(options.BrandVoice);
    }

    [Fact]
    public async Task Defaults_PassValidation()
    {
        await using var services = new ServiceCollection().AddContentAgent().Services.BuildServiceProvider();

        Assert.Equal(100, services.GetRequiredService<IOptions<ContentAgentOptions>>().Value.MaxPostsPerBatch);
    }

    [Theory]
    [InlineData(nameof(ContentAgentOptions.MaxParallelPosts), "0")]
    [InlineData(nameof(ContentAgentOptions.MaxParallelPosts), "65")]
    [InlineData(nameof(ContentAgentOptions.MaxPostsPerBatch), "0")]
    [InlineData(nameof(ContentAgentOptions.CheckpointEvery), "0")]
    [InlineData(nameof(ContentAgentOptions.CompactEvery), "-1")]
    [InlineData(nameof(ContentAgentOptions.MaxAttempts), "0")]
    [InlineData(nameof(ContentAgentOptions.PostTimeout), "00:00:00")]
    [InlineData(nameof(ContentAgentOptions.LearningContextTokenBudget), "10")]
    public async Task Validation_InvalidValue_FailsNamingTheField(string field, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new($"ContentAgent:{field}", value)]).Build();
        await using var services = new ServiceCollection().AddContentAgent(configuration.GetSection("ContentAgent")).Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ContentAgentOptions>>().Value);

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_TargetNotBelowBudget_FailsNamingBothSettings()
    {
        await using var services = new ServiceCollection()
            .AddContentAgent(o => { o.LearningContextTokenBudget = 200; o.CompactionTargetTokens = 200; })
            .Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ContentAgentOptions>>().Value);

        Assert.Contains("ContentAgent:CompactionTargetTokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("ContentAgent:LearningContextTokenBudget", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_ParallelAboveMaxPosts_Fails()
    {
        await using var services = new ServiceCollection()
            .AddContentAgent(o => { o.MaxPostsPerBatch = 2; o.MaxParallelPosts = 3; })
            .Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ContentAgentOptions>>().Value);

        Assert.Contains("MaxParallelPosts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_RunsAtStartThroughTheStartupValidator()
    {
        await using var services = new ServiceCollection().AddContentAgent(o => o.MaxAttempts = 0).Services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }
}
