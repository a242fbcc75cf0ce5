using ContentAgent.Delivery.Execution;
using ContentAgent.Delivery.Execution.Email;
using ContentAgent.Delivery.Exporting;
using ContentAgent.Delivery.Packaging;
using ContentAgent.Delivery.Packaging.Html;
using ContentAgent.Delivery.Packaging.Pptx;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
        builder.Services.TryAddSingleton<IOutputPackager, OutputPackager>();
        // Renderers: one line per format.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPackageRenderer, PdfStrategyRenderer>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPackageRenderer, PptxDeckRenderer>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPackageRenderer, HtmlSummaryRenderer>());
        // Execution gateways: one line per channel kind.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IExecutionGateway, SmtpEmailGateway>());
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
}
