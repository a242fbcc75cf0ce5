using System.ComponentModel;

namespace ContentAgent.Quality;

/// <summary>The structured answer of the quality judge: one entry per criterion.</summary>
/// <remarks>
/// Deserialized by <see cref="Microsoft.Extensions.AI.ChatClientStructuredOutputExtensions"/>; a member the model leaves out
/// can arrive as <see langword="null"/> despite its annotation, which <see cref="ChatJudgeQualityScorer"/> checks.
/// </remarks>
/// <param name="Hook">The verdict on the opening line.</param>
/// <param name="Clarity">The verdict on clarity.</param>
/// <param name="Specificity">The verdict on concrete detail.</param>
/// <param name="CallToAction">The verdict on the closing ask.</param>
/// <param name="PlatformFit">The verdict on the platform rules.</param>
/// <param name="Readability">The verdict on readability.</param>
internal sealed record JudgeVerdict(
    [property: Description("Does the first line make a reader stop scrolling?")] JudgeCriterionVerdict Hook,
    [property: Description("One clear idea, said plainly, without filler.")] JudgeCriterionVerdict Clarity,
    [property: Description("Figures, named examples, first-hand stories, numbered steps.")] JudgeCriterionVerdict Specificity,
    [property: Description("Does it end by asking the reader to do or answer something?")] JudgeCriterionVerdict CallToAction,
    [property: Description("Does it respect the platform's length, hashtag, emoji and link rules?")] JudgeCriterionVerdict PlatformFit,
    [property: Description("Short sentences, short paragraphs, white space.")] JudgeCriterionVerdict Readability);

/// <summary>The quality judge's verdict on one criterion.</summary>
/// <param name="Score">The score, from 0 (absent) to 10 (excellent).</param>
/// <param name="Reason">Why, in one short sentence the writer can act on.</param>
internal sealed record JudgeCriterionVerdict(
    [property: Description("From 0 (absent) to 10 (excellent).")] double Score,
    [property: Description("Why, in one short sentence (at most 20 words) the writer can act on.")] string Reason);
