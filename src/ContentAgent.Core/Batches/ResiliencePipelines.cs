namespace ContentAgent.Batches;

/// <summary>The names under which ContentAgent registers its Polly resilience pipelines.</summary>
public static class ResiliencePipelines
{
    /// <summary>The pipeline around one post: the per-post timeout outside, retries of transient failures with exponential backoff and jitter (or the provider's Retry-After) inside.</summary>
    public const string Post = "ContentAgent.Post";

    /// <summary>The pipeline around one call to the chat model: the provider's circuit breaker outside, the per-call timeout inside.</summary>
    public const string Chat = "ContentAgent.Chat";
}
