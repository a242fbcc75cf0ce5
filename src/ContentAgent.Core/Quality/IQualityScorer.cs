using ContentAgent.Planning;

namespace ContentAgent.Quality;

/// <summary>Scores a written post. The default is a deterministic rubric; an LLM judge can replace it.</summary>
public interface IQualityScorer
{
    /// <summary>Scores a post.</summary>
    /// <param name="spec">What the post was meant to be.</param>
    /// <param name="text">The post as written.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The score with its breakdown.</returns>
    ValueTask<QualityScore> ScoreAsync(PostSpec spec, string text, CancellationToken cancellationToken = default);
}
