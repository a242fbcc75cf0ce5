using System.ComponentModel.DataAnnotations;

namespace ContentAgent;

/// <summary>Options of ContentAgent's batches, bound from the <c>ContentAgent</c> configuration section and validated at start.</summary>
public sealed class ContentAgentOptions
{
    /// <summary>The configuration section the options bind from by default.</summary>
    public const string SectionName = "ContentAgent";

    /// <summary>Gets or sets the most posts a single brief may ask for.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, 100_000)]
    public int MaxPostsPerBatch { get; set; } = 100;

    /// <summary>Gets or sets how many posts are written at once. 1 writes them one after another, as the seed system did; above 1, posts run in bounded waves and learnings merge between waves.</summary>
    /// <value>The default value is 1.</value>
    [Range(1, 64)]
    public int MaxParallelPosts { get; set; } = 1;

    /// <summary>Gets or sets every how many posts a checkpoint asks whether to go on. Batches smaller than this have no checkpoint.</summary>
    /// <value>The default value is 10.</value>
    [Range(1, 10_000)]
    public int CheckpointEvery { get; set; } = 10;

    /// <summary>Gets or sets every how many posts the learning context is compacted (it is also compacted whenever it passes <see cref="LearningContextTokenBudget"/>).</summary>
    /// <value>The default value is 10.</value>
    [Range(1, 10_000)]
    public int CompactEvery { get; set; } = 10;

    /// <summary>Gets or sets the most tokens the learning context may reach before it is compacted.</summary>
    /// <value>The default value is 400.</value>
    [Range(50, 1_000_000)]
    public int LearningContextTokenBudget { get; set; } = 400;

    /// <summary>Gets or sets the tokens a compaction aims for. Must be below <see cref="LearningContextTokenBudget"/>.</summary>
    /// <value>The default value is 160.</value>
    [Range(20, 1_000_000)]
    public int CompactionTargetTokens { get; set; } = 160;

    /// <summary>Gets or sets the longest a post may take, all attempts and scoring included, before it is recorded as failed.</summary>
    /// <value>The default value is 3 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan PostTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Gets or sets how many times a post is attempted before it is recorded as failed.</summary>
    /// <value>The default value is 3.</value>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Gets or sets whether the posts that failed with a transient error (timeouts, throttling, server errors, dropped
    /// connections) get one more round of <see cref="MaxAttempts"/> at the end of the run, when the provider may have recovered.
    /// Posts that failed for good (a 400, a content filter) are not tried again.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RetryFailedPostsAtEnd { get; set; } = true;

    /// <summary>Gets or sets the first retry delay; later ones grow exponentially, with jitter.</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long a run's lease on its batch lasts; the run renews it every third of that. A batch whose runner died is picked up by another after this.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets a wait before every call of the offline writer (mock mode), so it paces itself like a network model; for demos and crash tests.</summary>
    /// <value>The default value is zero (no wait).</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan OfflineLatency { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Gets or sets the most tokens (input plus output, every attempt) one post may use. A call is given at most what is left
    /// as its output limit; a post whose prompt no longer fits fails with the reason. 0 is no limit.
    /// </summary>
    /// <value>The default value is 0 (no limit).</value>
    [Range(0, int.MaxValue)]
    public int MaxTokensPerPost { get; set; }

    /// <summary>
    /// Gets or sets the most tokens a whole batch may use, over all its runs. Before each wave the runner adds the tokens used
    /// so far (as the provider reported them) to what the wave is expected to need; when that would pass the budget the batch
    /// stops <see cref="Batches.BatchStatus.Suspended"/> with the reason, and can be resumed with a larger budget. 0 is no limit.
    /// </summary>
    /// <value>The default value is 0 (no limit).</value>
    [Range(0, long.MaxValue)]
    public long MaxTokensPerBatch { get; set; }

    /// <summary>Gets or sets the brand voice every prompt carries, for example "Warm, plain-spoken, no jargon".</summary>
    /// <value>The default value is <see langword="null"/> (no brand voice).</value>
    [MaxLength(2000)]
    public string? BrandVoice { get; set; }
}
