namespace ContentAgent.Quality;

/// <summary>
/// The weights of the quality rubric, shared by every <see cref="IQualityScorer"/> so that an overall score means the
/// same thing whoever produced the breakdown.
/// </summary>
/// <remarks>
/// Weights: <see cref="QualityCriterion.Hook"/> 0.20, <see cref="QualityCriterion.Clarity"/> 0.15,
/// <see cref="QualityCriterion.Specificity"/> 0.20, <see cref="QualityCriterion.CallToAction"/> 0.15,
/// <see cref="QualityCriterion.PlatformFit"/> 0.15, <see cref="QualityCriterion.Readability"/> 0.15 (they sum to 1).
/// The overall score is the weighted mean of the criterion scores (0 to 10) times 10, so it runs from 0 to 100,
/// rounded to one decimal.
/// </remarks>
internal static class Rubric
{
    /// <summary>The reason every criterion carries when the post is empty.</summary>
    public const string EmptyReason = "Empty post.";

    private static readonly QualityCriterion[] AllCriteria =
    [
        QualityCriterion.Hook,
        QualityCriterion.Clarity,
        QualityCriterion.Specificity,
        QualityCriterion.CallToAction,
        QualityCriterion.PlatformFit,
        QualityCriterion.Readability,
    ];

    /// <summary>Gets every criterion, in <see cref="QualityCriterion"/> order.</summary>
    public static ReadOnlySpan<QualityCriterion> Criteria => AllCriteria;

    /// <summary>Gets the weight of a criterion in the overall score.</summary>
    /// <param name="criterion">The criterion.</param>
    /// <returns>The weight, between 0 and 1.</returns>
    public static double Weight(QualityCriterion criterion) => criterion switch
    {
        QualityCriterion.Hook => 0.20,
        QualityCriterion.Clarity => 0.15,
        QualityCriterion.Specificity => 0.20,
        QualityCriterion.CallToAction => 0.15,
        QualityCriterion.PlatformFit => 0.15,
        QualityCriterion.Readability => 0.15,
        _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, "Unknown quality criterion."),
    };

    /// <summary>Computes the overall score of a breakdown: the weighted mean of its scores times 10, rounded to one decimal.</summary>
    /// <param name="breakdown">The criterion scores, each from 0 to 10.</param>
    /// <returns>The overall score, from 0 to 100; 0 for an empty breakdown.</returns>
    /// <remarks>A criterion missing from the breakdown is left out of both the sum and the total weight.</remarks>
    public static double Overall(IReadOnlyList<CriterionScore> breakdown)
    {
        ArgumentNullException.ThrowIfNull(breakdown);

        double weighted = 0;
        double totalWeight = 0;
        for (var i = 0; i < breakdown.Count; i++)
        {
            var score = breakdown[i];
            var weight = Weight(score.Criterion);
            weighted += weight * score.Score;
            totalWeight += weight;
        }

        return totalWeight <= 0 ? 0 : Round(weighted / totalWeight * 10);
    }

    /// <summary>Rounds a score to one decimal, midpoints away from zero.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The rounded value.</returns>
    public static double Round(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);

    /// <summary>Clamps a score to the 0 to 10 scale and rounds it to one decimal.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The clamped, rounded value.</returns>
    public static double Clamp(double value) => Round(Math.Clamp(value, 0, 10));

    /// <summary>Creates the score of an empty post: every criterion 0 with <see cref="EmptyReason"/>.</summary>
    /// <param name="scorer">The name of the scorer.</param>
    /// <returns>The score.</returns>
    public static QualityScore Empty(string scorer)
    {
        var breakdown = new CriterionScore[AllCriteria.Length];
        for (var i = 0; i < breakdown.Length; i++)
        {
            breakdown[i] = new CriterionScore(AllCriteria[i], 0, EmptyReason);
        }

        return new QualityScore(0, breakdown, scorer);
    }
}
