using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.DependencyInjection;
using Polly.Telemetry;

namespace ContentAgent.Resilience;

/// <summary>
/// Registers ContentAgent's named pipelines, one way: by name in Polly's registry, with telemetry that never shows a
/// result's content. Polly logs every execution's result at Information ("Resilience pipeline executed ... Result: '…'")
/// through the result's <c>ToString</c>, which for a chat response or a post is its text; here a result is shown as its
/// type only (numbers, booleans and enums as they are).
/// </summary>
internal static class ContentAgentPipelines
{
    public static void Add(IServiceCollection services, string name, Action<ResiliencePipelineBuilder, AddResiliencePipelineContext<string>> configure)
    {
        services.AddResiliencePipeline(name, (pipeline, context) =>
        {
            var telemetry = new TelemetryOptions(context.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value)
            {
                ResultFormatter = static (_, result) => Describe(result),
            };
            pipeline.ConfigureTelemetry(telemetry);
            configure(pipeline, context);
        });
    }

    /// <summary>What telemetry may say about a result: nothing of its content.</summary>
    internal static object? Describe(object? result) => result switch
    {
        null => null,
        bool or byte or short or int or long or float or double or decimal or Enum => result,
        _ => result.GetType().Name,
    };
}
