namespace ContentAgent.Batches;

/// <summary>The names under which ContentAgent registers its Polly resilience pipelines.</summary>
public static class ResiliencePipelines
{
    /// <summary>The pipeline around one post: the per-post timeout outside, retries with exponential backoff and jitter inside.</summary>
    public const string Post = "ContentAgent.Post";
}
