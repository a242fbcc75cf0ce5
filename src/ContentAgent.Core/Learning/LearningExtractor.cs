using System.Globalization;
using System.Text;
using ContentAgent.Planning;
using ContentAgent.Quality;

namespace ContentAgent.Learning;

/// <summary>Turns the score of one post into at most two short learnings that later prompts carry.</summary>
/// <remarks>
/// A post yields a <see cref="LearningKind.Keep"/> for its best criterion when that scores
/// <see cref="KeepThreshold"/> or more, and an <see cref="LearningKind.Avoid"/> for its worst criterion when that scores
/// <see cref="AvoidThreshold"/> or less; ties go to the criterion that comes first in <see cref="QualityCriterion"/> order.
/// The text is "<c>Label: reason (score/10 on post n, Platform)</c>", for example
/// "Call to action: no ask at the end; close with a question that invites replies (2/10 on post 4, LinkedIn)", at most
/// <see cref="MaxTextLength"/> characters. The label comes first and is followed by the only ": " in the text, so
/// readers can group learnings by criterion.
/// </remarks>
internal static class LearningExtractor
{
    /// <summary>The lowest score of a best criterion that yields a <see cref="LearningKind.Keep"/>.</summary>
    public const double KeepThreshold = 8;

    /// <summary>The highest score of a worst criterion that yields an <see cref="LearningKind.Avoid"/>.</summary>
    public const double AvoidThreshold = 5;

    /// <summary>The longest text a learning gets, in characters.</summary>
    public const int MaxTextLength = 160;

    private static readonly string[] PlatformNames = Array.ConvertAll(Enum.GetValues<Platform>(), static p => PlatformRules.For(p).DisplayName);

    /// <summary>Extracts the learnings of one scored post.</summary>
    /// <param name="spec">The post's spec.</param>
    /// <param name="score">The post's score.</param>
    /// <returns>No, one or two learnings: the Keep first, then the Avoid.</returns>
    public static IReadOnlyList<Learning> Extract(PostSpec spec, QualityScore score)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(score);

        CriterionScore? best = null;
        CriterionScore? worst = null;
        foreach (var criterion in score.Breakdown)
        {
            if (best is null || criterion.Score > best.Score)
            {
                best = criterion;
            }

            if (worst is null || criterion.Score < worst.Score)
            {
                worst = criterion;
            }
        }

        var keep = best is not null && best.Score >= KeepThreshold;
        var avoid = worst is not null && worst.Score <= AvoidThreshold;
        if (!keep && !avoid)
        {
            return [];
        }

        var platform = PlatformRules.For(spec.Platform).DisplayName;
        var learnings = new List<Learning>(2);
        if (keep)
        {
            learnings.Add(new Learning(LearningKind.Keep, Format(best!, spec.Index, platform), best!.Criterion, spec.Index));
        }

        if (avoid)
        {
            learnings.Add(new Learning(LearningKind.Avoid, Format(worst!, spec.Index, platform), worst!.Criterion, spec.Index));
        }

        return learnings;
    }

    /// <summary>Gets the label a learning's text starts with.</summary>
    /// <param name="criterion">The criterion.</param>
    /// <returns>"Hook", "Clarity", "Specificity", "Call to action", "Platform fit" or "Readability".</returns>
    public static string Label(QualityCriterion criterion) => criterion switch
    {
        QualityCriterion.Hook => "Hook",
        QualityCriterion.Clarity => "Clarity",
        QualityCriterion.Specificity => "Specificity",
        QualityCriterion.CallToAction => "Call to action",
        QualityCriterion.PlatformFit => "Platform fit",
        QualityCriterion.Readability => "Readability",
        _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, "Unknown quality criterion."),
    };

    private static string Format(CriterionScore score, int postIndex, string platform)
    {
        var label = Label(score.Criterion);
        var suffix = string.Create(
            CultureInfo.InvariantCulture,
            $" ({score.Score:0.#}/10 on post {postIndex}, {platform})");

        var reason = score.Reason.AsSpan().Trim().TrimEnd('.');
        var room = MaxTextLength - label.Length - 2 - suffix.Length;
        var builder = new StringBuilder(MaxTextLength);
        builder.Append(label).Append(": ");
        if (reason.Length > room)
        {
            reason = reason[..Math.Max(0, room - 1)].TrimEnd();
            AppendReason(builder, reason);
            builder.Append('…');
        }
        else
        {
            AppendReason(builder, reason);
        }

        return builder.Append(suffix).ToString();
    }

    /// <summary>Appends the reason in lower case at its start (unless it opens with an acronym) with ": " made "; ".</summary>
    private static void AppendReason(StringBuilder builder, ReadOnlySpan<char> reason)
    {
        var start = builder.Length;
        builder.Append(reason);
        if (reason.Length > 0 && char.IsUpper(reason[0]) && (reason.Length == 1 || !char.IsUpper(reason[1])) && !StartsWithName(reason))
        {
            builder[start] = char.ToLowerInvariant(reason[0]);
        }

        builder.Replace(": ", "; ", start, builder.Length - start);
    }

    /// <summary>Whether the reason opens with a platform name, which keeps its capital.</summary>
    private static bool StartsWithName(ReadOnlySpan<char> reason)
    {
        var end = reason.IndexOfAny(' ', '\'', '’');
        var word = end < 0 ? reason : reason[..end];
        foreach (var name in PlatformNames)
        {
            if (word.Equals(name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
