namespace ContentAgent.Resilience;

/// <summary>The names under which ContentAgent registers its Polly resilience pipelines (resolve them with <c>ResiliencePipelineProvider&lt;string&gt;</c>).</summary>
public static class ResiliencePipelines
{
    /// <summary>The pipeline around one post: the per-post timeout outside, retries of transient failures with exponential backoff and jitter (or the provider's Retry-After) inside.</summary>
    public const string Post = "ContentAgent.Post";

    /// <summary>The pipeline around one call to the chat model: the provider's circuit breaker outside, the per-call timeout inside.</summary>
    public const string Chat = "ContentAgent.Chat";

    /// <summary>The prefix of the pipelines around one send of an execution channel (<c>ContentAgent.Gateway.email</c>, …).</summary>
    public const string GatewayPrefix = "ContentAgent.Gateway.";

    /// <summary>Gets the name of the pipeline around one send of an execution channel.</summary>
    /// <param name="channel">The channel, for example <c>email</c>.</param>
    /// <returns>For example <c>ContentAgent.Gateway.email</c>.</returns>
    public static string Gateway(string channel)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        return GatewayPrefix + channel;
    }
}
