using ContentAgent.Generation;

namespace Microsoft.Extensions.AI;

/// <summary>Adds a simulated latency to a chat pipeline.</summary>
public static class SimulatedLatencyChatClientBuilderExtensions
{
    /// <summary>
    /// Waits <paramref name="latency"/> before every call: makes the offline writer pace itself like a network model, for
    /// demos, progress displays and crash tests. The answers do not change.
    /// </summary>
    /// <param name="builder">The chat client builder.</param>
    /// <param name="latency">The wait before each call.</param>
    /// <param name="timeProvider">The clock to wait on; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseSimulatedLatency(this ChatClientBuilder builder, TimeSpan latency, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        return builder.Use(inner => new SimulatedLatencyChatClient(inner, latency, timeProvider ?? TimeProvider.System));
    }
}
