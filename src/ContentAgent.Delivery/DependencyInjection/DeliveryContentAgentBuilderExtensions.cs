using ContentAgent.Delivery.Exporting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ContentAgent's delivery services.</summary>
public static class DeliveryContentAgentBuilderExtensions
{
    /// <summary>Adds delivery: the file exporter (<c>posts.json</c>, <c>posts.md</c>, <c>summary.json</c>). Calling it again is harmless.</summary>
    /// <param name="builder">The ContentAgent builder.</param>
    /// <returns>The builder.</returns>
    public static IContentAgentBuilder AddDelivery(this IContentAgentBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<IBatchExporter, BatchFileExporter>();
        return builder;
    }
}
