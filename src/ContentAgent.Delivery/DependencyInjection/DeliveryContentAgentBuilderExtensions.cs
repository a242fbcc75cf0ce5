using ContentAgent.Delivery.Execution;
using ContentAgent.Delivery.Execution.Email;
using ContentAgent.Delivery.Execution.Http;
using ContentAgent.Delivery.Exporting;
using ContentAgent.Delivery.Packaging;
using ContentAgent.Delivery.Packaging.Html;
using ContentAgent.Delivery.Packaging.Pptx;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ContentAgent.Resilience;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ContentAgent's delivery services.</summary>
public static class DeliveryContentAgentBuilderExtensions
{
    /// <summary>
    /// Adds delivery: the file exporter (<c>posts.json</c>, <c>posts.md</c>, <c>summary.json</c>) and the output packager
    /// with its renderers (<c>strategy.pdf</c>, <c>deck.pptx</c>, <c>summary.html</c>), and the execution gateways (email over
    /// SMTP). A host adds a format by registering another <see cref="IPackageRenderer"/>. Calling it again is harmless.
    /// </summary>
    /// <param name="builder">The ContentAgent builder.</param>
    /// <returns>The builder.</returns>
    public static IContentAgentBuilder AddDelivery(this IContentAgentBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<IBatchExporter, BatchFileExporter>();
        builder.Services.AddOptions<PackagingOptions>().ValidateDataAnnotations();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<ContentAgent.Delivery.Diagnostics.DeliveryInstruments>();
        builder.Services.TryAddSingleton<IOutputPackager, OutputPackager>();
        // Renderers: one line per format.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPackageRenderer, PdfStrategyRenderer>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPackageRenderer, PptxDeckRenderer>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPackageRenderer, HtmlSummaryRenderer>());

        // Execution: disabled and dry-run unless configured; one gateway and one named pipeline per channel.
        // Social and crm pick their API shape from their options' Kind.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IExecutionGateway, SmtpEmailGateway>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IExecutionGateway, SocialGateway>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IExecutionGateway, CrmGateway>());
        builder.Services.AddOptions<ExecutionOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExecutionOptions>, ExecutionOptionsValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExecutionOptions>, ExecutionOptionsCrossValidator>());
        builder.Services.TryAddSingleton<IPlanExecutor, PlanExecutor>();
        if (!builder.Services.Any(static d => d.ServiceType == typeof(ExecutionPipelinesMarker)))
        {
            builder.Services.AddSingleton<ExecutionPipelinesMarker>();
            foreach (var channel in ExecutionPlanner.KnownChannels)
            {
                // Per channel: transient-only retries (Retry-After honoured) around the per-send timeout.
                ContentAgentPipelines.Add(builder.Services, ResiliencePipelines.Gateway(channel), static (pipeline, context) =>
                {
                    var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<ExecutionOptions>>().CurrentValue;
                    pipeline.AddTransientRetry(options.MaxAttempts, options.RetryBaseDelay);
                    pipeline.AddTimeout(options.SendTimeout);
                });
            }
        }

        return builder;
    }

    /// <summary>
    /// Binds execution from configuration: the <c>ContentAgent:Execution</c> section, then <c>EXECUTION_ENABLED</c>,
    /// <c>EXECUTION_DRY_RUN</c> and <c>EXECUTION_CHANNELS</c> (comma-separated) over it. Values are validated at start.
    /// </summary>
    /// <param name="builder">The ContentAgent builder.</param>
    /// <param name="configuration">The host's configuration (root).</param>
    /// <returns>The builder.</returns>
    public static IContentAgentBuilder ConfigureExecution(this IContentAgentBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection($"ContentAgent:{ExecutionOptions.SectionName}");

        // A configured channel list replaces the default (email) instead of adding to it.
        builder.Services.Configure<ExecutionOptions>(options =>
        {
            if (section.GetSection(nameof(ExecutionOptions.Channels)).GetChildren().Any())
            {
                options.Channels.Clear();
            }
        });
        builder.Services.Configure<ExecutionOptions>(section);
        builder.Services.AddSingleton<IPostConfigureOptions<ExecutionOptions>>(new ExecutionEnvironment(configuration));
        return builder;
    }

    /// <summary>Configures the packages' branding (hosts that bind configuration use the <c>ContentAgent:Packaging</c> section).</summary>
    /// <param name="builder">The ContentAgent builder.</param>
    /// <param name="configure">Configures the branding.</param>
    /// <returns>The builder.</returns>
    public static IContentAgentBuilder ConfigurePackaging(this IContentAgentBuilder builder, Action<PackagingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    private sealed class ExecutionPipelinesMarker;
}
