using ContentAgent.Planning;
using ContentAgent.Quality;

namespace ContentAgent.Batches;

/// <summary>A post of a batch as it stands: its text and score when done, its reason when failed.</summary>
/// <param name="Spec">What the post was meant to be.</param>
/// <param name="Status">Where the post is in its life.</param>
/// <param name="Text">The post's text, once written.</param>
/// <param name="Score">The post's quality score, once scored.</param>
/// <param name="Attempts">How many times the chat client was asked to write it.</param>
/// <param name="Error">Why it failed, in one line, when it failed.</param>
/// <param name="Learnings">The learnings it produced.</param>
/// <param name="ContextTokens">The tokens of learning context its prompt carried.</param>
/// <param name="UncompactedContextTokens">The tokens its prompt would have carried without compaction (every earlier post and learning).</param>
/// <param name="InputTokens">Input tokens the chat client reported (or that were counted when it reported none).</param>
/// <param name="OutputTokens">Output tokens the chat client reported (or that were counted when it reported none).</param>
/// <param name="Duration">How long it took, attempts and scoring included.</param>
/// <param name="CompletedAt">When it reached <see cref="PostStatus.Done"/> or <see cref="PostStatus.Failed"/>.</param>
/// <param name="PriorErrors">Why earlier runs failed it, oldest first, when it was retried (<see cref="Attempts"/> counts their attempts too).</param>
/// <param name="Cost">Its estimated cost from <c>ContentAgent:Chat:Prices</c> (all attempts); <see langword="null"/> without a price for the model.</param>
public sealed record PostResult(
    PostSpec Spec,
    PostStatus Status,
    string? Text,
    QualityScore? Score,
    int Attempts,
    string? Error,
    IReadOnlyList<ContentAgent.Learning.Learning> Learnings,
    int ContextTokens,
    long UncompactedContextTokens,
    long InputTokens,
    long OutputTokens,
    TimeSpan Duration,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<string>? PriorErrors = null,
    decimal? Cost = null)
{
    /// <summary>Gets the post's 1-based index in its plan.</summary>
    public int Index => Spec.Index;
}
