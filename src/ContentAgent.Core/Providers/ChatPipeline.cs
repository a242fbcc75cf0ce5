using ContentAgent.Diagnostics;
using ContentAgent.Generation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace ContentAgent.Providers;

/// <summary>
/// The chat client ContentAgent registers: the offline writer or the configured provider, behind one Microsoft.Extensions.AI
/// pipeline (outermost first): OpenTelemetry, logging, the optional response cache, default options, the shared rate limits,
/// then the breaker, call timeout and failure classification. Offline and live pass the same middleware.
/// </summary>
internal static class ChatPipeline
{
    public static IChatClient Build(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ChatProviderOptions>>().Value;
        var agent = services.GetRequiredService<IOptions<ContentAgentOptions>>().Value;
        var loggerFactory = services.GetService<ILoggerFactory>();

        IChatClient inner;
        if (options.Mode == ChatMode.Live)
        {
            inner = ChatProviderFactory.Create(options);
        }
        else
        {
            var offline = new OfflineChatClient(services.GetRequiredService<Tokenizer>());
            inner = agent.OfflineLatency <= TimeSpan.Zero
                ? offline
                : new ChatClientBuilder(offline).UseSimulatedLatency(agent.OfflineLatency, services.GetRequiredService<TimeProvider>()).Build(services);
        }

        var builder = new ChatClientBuilder(inner).UseOpenTelemetry(loggerFactory, ContentAgentTelemetry.Name, static client => client.EnableSensitiveData = false);
        if (loggerFactory is not null)
        {
            builder.UseLogging(loggerFactory);
        }

        if (options.CacheResponses)
        {
            var cache = services.GetService<IDistributedCache>()
                ?? throw new InvalidOperationException("ContentAgent:Chat:CacheResponses is true but no IDistributedCache is registered; register one (for example services.AddDistributedMemoryCache()) or set it to false.");
            builder.UseDistributedCache(cache);
        }

        var maxOutputTokens = options.MaxOutputTokens;
        var model = options.Mode == ChatMode.Live ? options.Model : null;
        builder.ConfigureOptions(chatOptions =>
        {
            chatOptions.MaxOutputTokens ??= maxOutputTokens;
            chatOptions.ModelId ??= model;
        });

        var client = builder.UseContentAgentRateLimits().UseContentAgentResilience().Build(services);
        if (loggerFactory?.CreateLogger(typeof(ChatPipeline).FullName!) is { } logger)
        {
            var description = options.ToString();
            Log.ChatModel(logger, description);
        }

        return client;
    }
}
