using System.Globalization;
using System.Text;

namespace ContentAgent.Delivery.Packaging.Pptx;

/// <summary>The writing systems the deck tells apart: for run languages, paragraph direction and line breaking.</summary>
internal enum Script
{
    /// <summary>Latin and everything else written left to right with spaces between words.</summary>
    Latin,

    /// <summary>Arabic (right to left).</summary>
    Arabic,

    /// <summary>Hebrew (right to left).</summary>
    Hebrew,

    /// <summary>Chinese characters, kana and CJK punctuation (lines may break between characters).</summary>
    Cjk,

    /// <summary>Korean Hangul.</summary>
    Hangul,
}

/// <summary>Cheap Unicode range checks: enough to set <c>a:rtl</c>, <c>lang</c> and break CJK lines; no full bidi algorithm.</summary>
internal static class Scripts
{
    /// <summary>Gets the script of a letter, or <see langword="null"/> for neutral characters (spaces, digits, punctuation, symbols, emoji).</summary>
    public static Script? Of(Rune rune)
    {
        var c = rune.Value;
        if (c < 0x0590)
        {
            return Rune.IsLetter(rune) ? Script.Latin : null;
        }

        if (c <= 0x05FF || (c >= 0xFB1D && c <= 0xFB4F))
        {
            return Script.Hebrew;
        }

        if (c <= 0x08FF || (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF))
        {
            return Rune.IsLetter(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark ? Script.Arabic : null;
        }

        if (IsCjk(c))
        {
            return Script.Cjk;
        }

        if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F))
        {
            return Script.Hangul;
        }

        return Rune.IsLetter(rune) ? Script.Latin : null;
    }

    /// <summary>Gets whether a paragraph reads right to left: its first strong letter is Arabic or Hebrew.</summary>
    public static bool IsRightToLeft(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (Of(rune) is { } script)
            {
                return script is Script.Arabic or Script.Hebrew;
            }
        }

        return false;
    }

    /// <summary>Gets whether a line may break after this character (CJK text has no spaces between words).</summary>
    public static bool BreaksAfter(int c) => IsCjk(c);

    /// <summary>Gets whether a line may not start with this character (closing CJK punctuation stays with what it closes).</summary>
    public static bool NoBreakBefore(int c) => c is '。' or '、' or '，' or '．' or '！' or '？' or '：' or '；' or '」' or '』' or '）' or '】' or '〉' or '》' or 'ー' or '々';

    /// <summary>Gets whether a character is kana (Japanese).</summary>
    public static bool IsKana(int c) => (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9F);

    /// <summary>Gets whether a character ends a CJK sentence.</summary>
    public static bool EndsSentence(int c) => c is '。' or '！' or '？';

    /// <summary>Gets the BCP 47 language a run of a script is tagged with.</summary>
    public static string Language(Script script, bool kana) => script switch
    {
        Script.Arabic => "ar-SA",
        Script.Hebrew => "he-IL",
        Script.Cjk => kana ? "ja-JP" : "zh-CN",
        Script.Hangul => "ko-KR",
        _ => "en-US",
    };

    private static bool IsCjk(int c) =>
        (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2FFFF) || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0x3000 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF00 && c <= 0xFFEF);
}
