using ContentAgent.Providers;
using ContentAgent.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Polly.Registry;

namespace Microsoft.Extensions.AI;

/// <summary>ContentAgent's chat middleware, for any <see cref="IChatClient"/> pipeline (the configured provider uses both).</summary>
public static class ContentAgentChatClientBuilderExtensions
{
    /// <summary>
    /// Holds every call to the process-wide limits of <c>ContentAgent:Chat:RateLimits</c> (requests and tokens per rolling
    /// window, concurrent calls), shared by every batch and tenant of the host. Needs <c>AddContentAgent()</c>.
    /// </summary>
    /// <param name="builder">The chat client builder.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseContentAgentRateLimits(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(static (inner, services) => new RateLimitingChatClient(
            inner,
            services.GetRequiredService<ChatRateLimiter>(),
            services.GetRequiredService<Tokenizer>(),
            services.GetRequiredService<IOptions<ChatProviderOptions>>().Value.MaxOutputTokens));
    }

    /// <summary>
    /// Sends every call through the pipeline <see cref="ResiliencePipelines.Chat"/> (circuit breaker and per-call timeout) and
    /// turns provider failures into <see cref="ChatProviderException"/>s that say whether to retry, with the key scrubbed.
    /// Needs <c>AddContentAgent()</c>.
    /// </summary>
    /// <param name="builder">The chat client builder.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseContentAgentResilience(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(static (inner, services) =>
        {
            var options = services.GetRequiredService<IOptions<ChatProviderOptions>>().Value;
            return new ResilientChatClient(
                inner,
                services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(ResiliencePipelines.Chat),
                options.ApiKey,
                options.CallTimeout,
                services.GetService<TimeProvider>() ?? TimeProvider.System);
        });
    }
}
