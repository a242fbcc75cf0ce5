using ContentAgent;
using ContentAgent.Batches;
using ContentAgent.Diagnostics;
using ContentAgent.Generation;
using ContentAgent.Learning;
using ContentAgent.Leasing;
using ContentAgent.Planning;
using ContentAgent.Providers;
using ContentAgent.Quality;
using ContentAgent.Resilience;
using ContentAgent.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ContentAgent in a service collection.</summary>
public static class ContentAgentServiceCollectionExtensions
{
    /// <summary>
    /// Adds ContentAgent with its defaults: the chat model of <c>ContentAgent:Chat</c> (the offline writer unless configured
    /// live; a registered <see cref="IChatClient"/> wins) behind ContentAgent's chat middleware,
    /// the rubric scorer, the LLM compactor with its offline fallback, an always-continue checkpoint gate and the in-memory store.
    /// Any of them can be replaced by registering the interface. Calling it again is harmless.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder to configure ContentAgent further.</returns>
    public static IContentAgentBuilder AddContentAgent(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new ContentAgentBuilder(services);
        if (services.Any(static d => d.ServiceType == typeof(ContentAgentMarker)))
        {
            return builder;
        }

        services.AddSingleton<ContentAgentMarker>();
        services.AddOptions<ContentAgentOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ContentAgentOptions>, ContentAgentOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ContentAgentOptions>, ContentAgentOptionsCrossValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Tokenizer>(static _ => DefaultTokenizer.Instance);
        services.TryAddSingleton<BatchInstruments>();
        services.AddOptions<ChatProviderOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatProviderOptions>, ChatProviderOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatProviderOptions>, ChatProviderOptionsCrossValidator>());
        services.TryAddSingleton<ChatRateLimiter>();
        services.TryAddSingleton<IChatClient>(static sp => ChatPipeline.Build(sp));
        services.TryAddSingleton<IQualityScorer, RubricQualityScorer>();
        services.TryAddSingleton<IContextCompactor>(static sp => new ChatContextCompactor(
            sp.GetRequiredService<IChatClient>(), sp.GetRequiredService<Tokenizer>(), Logger<ChatContextCompactor>(sp)));
        services.TryAddSingleton<ICheckpointGate, ContinueCheckpointGate>();
        services.TryAddSingleton<InMemoryBatchStore>();
        services.TryAddSingleton<IBatchStore>(static sp => sp.GetRequiredService<InMemoryBatchStore>());
        services.TryAddSingleton<ILeaseStore>(static sp => sp.GetRequiredService<InMemoryBatchStore>());
        services.TryAddSingleton(static _ => LeaseOwner.ForCurrentProcess());
        services.TryAddSingleton<ILeaseKeeper>(static sp => new LeaseKeeper(
            sp.GetRequiredService<ILeaseStore>(), sp.GetRequiredService<LeaseOwner>(), sp.GetRequiredService<TimeProvider>(), Logger<LeaseKeeper>(sp)));
        services.TryAddSingleton<ISendLedger>(static sp => sp.GetRequiredService<IBatchStore>() as ISendLedger
            ?? throw new InvalidOperationException("The registered IBatchStore keeps no send ledger: register an ISendLedger as well (in the same store as the batches)."));
        services.TryAddSingleton<IBatchPlanner>(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<ContentAgentOptions>>().Value;
            return new BatchPlanner(sp.GetRequiredService<IChatClient>(), sp.GetRequiredService<TimeProvider>(), options.MaxPostsPerBatch);
        });
        services.TryAddSingleton<IBatchRunner>(static sp => new BatchRunner(
            sp.GetRequiredService<IChatClient>(),
            sp.GetRequiredService<IQualityScorer>(),
            sp.GetRequiredService<IContextCompactor>(),
            sp.GetRequiredService<ICheckpointGate>(),
            sp.GetRequiredService<IBatchStore>(),
            sp.GetRequiredService<ILeaseKeeper>(),
            sp.GetRequiredService<Tokenizer>(),
            sp.GetRequiredService<Polly.Registry.ResiliencePipelineProvider<string>>(),
            sp.GetRequiredService<IOptionsMonitor<ContentAgentOptions>>(),
            sp.GetRequiredService<IOptions<ChatProviderOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<BatchInstruments>(),
            Logger<BatchRunner>(sp)));

        ContentAgentPipelines.Add(services, ResiliencePipelines.Post, static (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<ContentAgentOptions>>().Value;
            pipeline.AddTimeout(options.PostTimeout);

            // Only failures that may go away: a 400, 401, content filter or schema mismatch fails the post at once.
            pipeline.AddTransientRetry(options.MaxAttempts, options.RetryBaseDelay);
        });

        ContentAgentPipelines.Add(services, ResiliencePipelines.Chat, static (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<ChatProviderOptions>>().Value;
            var logger = Logger<ChatRateLimiter>(context.ServiceProvider);
            var breaker = options.CircuitBreaker;
            pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(static ex => ex is TimeoutRejectedException || (ex is ChatProviderException { IsTransient: true })),
                OnOpened = args =>
                {
                    Log.CircuitOpened(logger, args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    Log.CircuitClosed(logger);
                    return ValueTask.CompletedTask;
                },
            });
            pipeline.AddTimeout(options.CallTimeout);
        });

        return builder;
    }

    /// <summary>Adds ContentAgent and configures its options.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>A builder to configure ContentAgent further.</returns>
    public static IContentAgentBuilder AddContentAgent(this IServiceCollection services, Action<ContentAgentOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddContentAgent();
        services.Configure(configure);
        return builder;
    }

    /// <summary>Adds ContentAgent and binds its options from a configuration section (usually <c>ContentAgent</c>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The section to bind.</param>
    /// <returns>A builder to configure ContentAgent further.</returns>
    public static IContentAgentBuilder AddContentAgent(this IServiceCollection services, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var builder = services.AddContentAgent();
        services.Configure<ContentAgentOptions>(section);
        services.Configure<ChatProviderOptions>(section.GetSection(ChatProviderOptions.SectionName));
        return builder;
    }

    /// <summary>Configures the chat model: offline or live, provider, endpoint, model, key, limits and prices.</summary>
    /// <param name="builder">The ContentAgent builder.</param>
    /// <param name="configure">Configures the options; <c>AddContentAgent(section)</c> binds them from <c>ContentAgent:Chat</c>.</param>
    /// <returns>The builder.</returns>
    public static IContentAgentBuilder UseChatProvider(this IContentAgentBuilder builder, Action<ChatProviderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Scores posts with an LLM judge through the registered <see cref="IChatClient"/> instead of the deterministic rubric.</summary>
    /// <param name="builder">The ContentAgent builder.</param>
    /// <returns>The builder.</returns>
    public static IContentAgentBuilder UseLlmJudge(this IContentAgentBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IQualityScorer>();
        builder.Services.AddSingleton<IQualityScorer>(static sp => new ChatJudgeQualityScorer(sp.GetRequiredService<IChatClient>()));
        return builder;
    }

    /// <summary>Keeps batches in an embedded SQLite file (WAL mode) instead of in memory, so finished posts survive a crash.</summary>
    /// <param name="builder">The ContentAgent builder.</param>
    /// <param name="configure">Configures the store (path, durability); the defaults are <c>contentagent.db</c> and <see cref="SqliteSynchronous.Full"/>.</param>
    /// <returns>The builder.</returns>
    public static IContentAgentBuilder UseSqliteStore(this IContentAgentBuilder builder, Action<SqliteBatchStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<SqliteBatchStoreOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // One file keeps the batches, their leases and their effects: the store registers itself for all three.
        builder.Services.RemoveAll<IBatchStore>();
        builder.Services.RemoveAll<ILeaseStore>();
        builder.Services.TryAddSingleton<SqliteBatchStore>();
        builder.Services.AddSingleton<IBatchStore>(static sp => sp.GetRequiredService<SqliteBatchStore>());
        builder.Services.AddSingleton<ILeaseStore>(static sp => sp.GetRequiredService<SqliteBatchStore>());
        return builder;
    }

    /// <summary>Answers checkpoints with the given gate (for example one that asks a human).</summary>
    /// <typeparam name="TGate">The gate's type.</typeparam>
    /// <param name="builder">The ContentAgent builder.</param>
    /// <returns>The builder.</returns>
    public static IContentAgentBuilder UseCheckpointGate<TGate>(this IContentAgentBuilder builder)
        where TGate : class, ICheckpointGate
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<ICheckpointGate>();
        builder.Services.AddSingleton<ICheckpointGate, TGate>();
        return builder;
    }

    private static ILogger<T> Logger<T>(IServiceProvider services) =>
        services.GetService<ILoggerFactory>()?.CreateLogger<T>() is { } logger ? (ILogger<T>)logger : NullLogger<T>.Instance;

    private sealed class ContentAgentBuilder(IServiceCollection services) : IContentAgentBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class ContentAgentMarker;
}
