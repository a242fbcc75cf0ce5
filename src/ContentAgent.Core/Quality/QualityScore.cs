namespace ContentAgent.Quality;

/// <summary>
/// The quality of one post. Each criterion is scored from 0 to 10; <see cref="Overall"/> is their weighted
/// mean times 10, so it runs from 0 to 100 (70 or more is good, 85 or more is excellent).
/// </summary>
/// <param name="Overall">The overall score, from 0 to 100.</param>
/// <param name="Breakdown">One entry per criterion, in <see cref="QualityCriterion"/> order.</param>
/// <param name="Scorer">The name of the scorer that produced it (for example "rubric" or "llm-judge").</param>
public sealed record QualityScore(double Overall, IReadOnlyList<CriterionScore> Breakdown, string Scorer)
{
    /// <summary>Gets the score of one criterion, or <see langword="null"/> when the breakdown does not carry it.</summary>
    /// <param name="criterion">The criterion.</param>
    /// <returns>The criterion's score.</returns>
    public CriterionScore? this[QualityCriterion criterion]
    {
        get
        {
            foreach (var score in Breakdown)
            {
                if (score.Criterion == criterion)
                {
                    return score;
                }
            }

            return null;
        }
    }
}

/// <summary>The score of one criterion, from 0 to 10, with the reason a writer can act on.</summary>
/// <param name="Criterion">The criterion.</param>
/// <param name="Score">The score, from 0 to 10.</param>
/// <param name="Reason">Why, in a short sentence a writer can act on.</param>
public sealed record CriterionScore(QualityCriterion Criterion, double Score, string Reason);
