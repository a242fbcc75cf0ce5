using System.Globalization;
using System.Text;

namespace ContentAgent.Delivery.Packaging.Pdf;

/// <summary>
/// A simplified Unicode bidirectional algorithm, enough for posts that mix left-to-right and right-to-left text: the
/// paragraph direction from the first strong character (P2, P3), numbers after left-to-right text become left-to-right
/// (W7), neutrals take the direction of the strong text around them or the paragraph's (N1, N2), implicit levels (I1, I2).
/// Explicit embeddings and isolates are not interpreted (their control characters are drawn as nothing).
/// </summary>
internal static class Bidi
{
    private enum Kind : byte
    {
        Neutral,
        Left,
        Right,
        Number,
        Continue,
    }

    /// <summary>Resolves an embedding level per UTF-16 unit of <paramref name="text"/> (even: left to right; odd: right to left).</summary>
    /// <param name="text">One paragraph.</param>
    /// <param name="rtl">Whether the paragraph runs right to left.</param>
    /// <returns>The levels, 0 to 2.</returns>
    public static byte[] Resolve(string text, out bool rtl)
    {
        var n = text.Length;
        var kinds = new Kind[n];
        for (var i = 0; i < n;)
        {
            var rune = Rune.GetRuneAt(text, i);
            kinds[i] = Classify(rune);
            for (var j = 1; j < rune.Utf16SequenceLength; j++)
            {
                kinds[i + j] = Kind.Continue;
            }

            i += rune.Utf16SequenceLength;
        }

        var firstStrong = Array.FindIndex(kinds, static k => k is Kind.Left or Kind.Right);
        rtl = firstStrong >= 0 && kinds[firstStrong] == Kind.Right;
        var paragraph = rtl ? Kind.Right : Kind.Left;

        // Marks continue what they follow; numbers after left-to-right text are left to right (W7).
        var lastStrong = paragraph;
        for (var i = 0; i < n; i++)
        {
            if (kinds[i] == Kind.Continue)
            {
                kinds[i] = i == 0 ? Kind.Neutral : kinds[i - 1];
            }

            if (kinds[i] is Kind.Left or Kind.Right)
            {
                lastStrong = kinds[i];
            }
            else if (kinds[i] == Kind.Number && lastStrong == Kind.Left)
            {
                kinds[i] = Kind.Left;
            }
        }

        ResolveBrackets(text, kinds, paragraph);

        // Neutrals between text of one direction take it; otherwise the paragraph's (N1, N2; numbers count as right to left).
        for (var i = 0; i < n;)
        {
            if (kinds[i] != Kind.Neutral)
            {
                i++;
                continue;
            }

            var end = i;
            while (end < n && kinds[end] == Kind.Neutral)
            {
                end++;
            }

            var before = i == 0 ? paragraph : Direction(kinds[i - 1]);
            var after = end == n ? paragraph : Direction(kinds[end]);
            var resolved = before == after ? before : paragraph;
            kinds.AsSpan(i, end - i).Fill(resolved);
            i = end;
        }

        var levels = new byte[n];
        for (var i = 0; i < n; i++)
        {
            levels[i] = (kinds[i], rtl) switch
            {
                (Kind.Right, false) => 1,
                (Kind.Number, false) => 2,
                (Kind.Left, true) or (Kind.Number, true) => 2,
                (Kind.Right, true) => 1,
                _ => 0,
            };
        }

        return levels;
    }

    /// <summary>Whether <paramref name="codepoint"/> is a right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms).</summary>
    public static bool IsRightToLeft(int codepoint) =>
        codepoint is (>= 0x0590 and <= 0x08FF) or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFE)
            or (>= 0x10800 and <= 0x10FFF) or (>= 0x1E800 and <= 0x1EFFF);

    private static Kind Direction(Kind kind) => kind == Kind.Number ? Kind.Right : kind;

    /// <summary>N0: a bracket pair enclosing text of the paragraph's direction takes it; enclosing only the other direction, it takes that one when the text before the pair has it too.</summary>
    private static void ResolveBrackets(string text, Kind[] kinds, Kind paragraph)
    {
        const string Opening = "([{";
        const string Closing = ")]}";
        var open = new List<(char Closing, int Index)>();
        var pairs = new List<(int Open, int Close)>();
        for (var i = 0; i < text.Length; i++)
        {
            if (kinds[i] != Kind.Neutral)
            {
                continue;
            }

            var opening = Opening.IndexOf(text[i], StringComparison.Ordinal);
            if (opening >= 0)
            {
                if (open.Count == 63)
                {
                    break; // BD16: too deep, stop pairing
                }

                open.Add((Closing[opening], i));
                continue;
            }

            if (Closing.Contains(text[i], StringComparison.Ordinal))
            {
                var match = open.FindLastIndex(o => o.Closing == text[i]);
                if (match >= 0)
                {
                    pairs.Add((open[match].Index, i));
                    open.RemoveRange(match, open.Count - match);
                }
            }
        }

        pairs.Sort();
        foreach (var (first, last) in pairs)
        {
            var same = false;
            var opposite = false;
            for (var k = first + 1; k < last; k++)
            {
                if (kinds[k] is Kind.Left or Kind.Right or Kind.Number)
                {
                    same |= Direction(kinds[k]) == paragraph;
                    opposite |= Direction(kinds[k]) != paragraph;
                }
            }

            if (!same && !opposite)
            {
                continue;
            }

            var resolved = paragraph;
            if (!same)
            {
                var before = paragraph;
                for (var k = first - 1; k >= 0; k--)
                {
                    if (kinds[k] is Kind.Left or Kind.Right or Kind.Number)
                    {
                        before = Direction(kinds[k]);
                        break;
                    }
                }

                resolved = before == paragraph ? paragraph : before;
            }

            kinds[first] = resolved;
            kinds[last] = resolved;
        }
    }

    private static Kind Classify(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        switch (category)
        {
            case UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark:
                return Kind.Continue;
            case UnicodeCategory.DecimalDigitNumber:
                return Kind.Number;
            default:
                break;
        }

        if (IsRightToLeft(rune.Value))
        {
            return category is UnicodeCategory.OtherLetter or UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.OtherPunctuation
                ? Kind.Right
                : Kind.Neutral;
        }

        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.LetterNumber
            ? Kind.Left
            : Kind.Neutral;
    }
}
