using System.Globalization;
using System.Text;
using HarfBuzzSharp;
using Buffer = HarfBuzzSharp.Buffer;

namespace ContentAgent.Delivery.Packaging.Pdf;

/// <summary>How a piece of text is set: size and line height in points, regular or bold.</summary>
internal readonly record struct TextStyle(float Size, float LineHeight, bool Bold = false);

/// <summary>
/// Turns a paragraph into shaped glyph runs: splits it into runs of one bidi level, one script and one font (the brand
/// font, else a system font that has the character), and shapes each run with HarfBuzz in its direction, with the whole
/// paragraph as context so Arabic joins across runs. One instance per render; it reuses one HarfBuzz buffer.
/// </summary>
internal sealed class TextShaper : IDisposable
{
    private readonly PdfFontSet _fonts;
    private readonly Buffer _buffer = new();
    private readonly UnicodeFunctions _unicode = UnicodeFunctions.Default;

    public TextShaper(PdfFontSet fonts) => _fonts = fonts;

    /// <summary>Shapes one paragraph (no line feeds) in <paramref name="style"/>.</summary>
    public ShapedText Shape(string paragraph, TextStyle style)
    {
        var text = Clean(paragraph);
        var levels = Bidi.Resolve(text, out var rtl);
        var scripts = ResolveScripts(text);
        var primary = style.Bold ? _fonts.Bold : _fonts.Regular;
        var runs = new List<GlyphRun>();

        var runStart = 0;
        PdfFace? runFace = null;
        for (var i = 0; i < text.Length;)
        {
            var rune = Rune.GetRuneAt(text, i);
            var length = rune.Utf16SequenceLength;
            var next = i + length < text.Length ? Rune.GetRuneAt(text, i + length).Value : -1;
            var face = ChooseFace(rune.Value, next, primary, runFace, style.Bold);
            if (runFace is not null && (face != runFace || levels[i] != levels[runStart] || scripts[i] != scripts[runStart]))
            {
                runs.Add(ShapeRun(text, runStart, i, runFace, levels[runStart], scripts[runStart], style.Size));
                runStart = i;
            }

            runFace = face;
            i += length;
        }

        if (runFace is not null)
        {
            runs.Add(ShapeRun(text, runStart, text.Length, runFace, levels[runStart], scripts[runStart], style.Size));
        }

        return new ShapedText(text, style, rtl, runs, primary);
    }

    public void Dispose() => _buffer.Dispose();

    /// <summary>Keeps user text drawable as characters: control characters (tabs included) become spaces, lone surrogates U+FFFD.</summary>
    private static string Clean(string text)
    {
        if (!NeedsCleaning(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append('\uFFFD');
            }
            else
            {
                builder.Append(char.IsControl(c) ? ' ' : c);
            }
        }

        return builder.ToString();
    }

    private static bool NeedsCleaning(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsControl(c) || char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the character belongs to the one before it (marks, joiners, variation selectors, skin tones, tags).</summary>
    private static bool Continues(int codepoint) =>
        codepoint is 0x200C or 0x200D or (>= 0xFE00 and <= 0xFE0F) or (>= 0x1F3FB and <= 0x1F3FF) or (>= 0xE0020 and <= 0xE007F) or (>= 0xE0100 and <= 0xE01EF)
        || Rune.GetUnicodeCategory(new Rune(codepoint)) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark;

    /// <summary>
    /// Whether the character should come from a colour emoji font even when the text font has a monochrome glyph: the
    /// emoji planes, the BMP characters whose default presentation is emoji, and anything followed by VS16.
    /// </summary>
    private static bool IsEmoji(int codepoint, int next) =>
        next == 0xFE0F
        || codepoint is (>= 0x1F000 and <= 0x1FAFF) or 0x231A or 0x231B or (>= 0x23E9 and <= 0x23EC) or 0x23F0 or 0x23F3
            or 0x25FD or 0x25FE or 0x2614 or 0x2615 or (>= 0x2648 and <= 0x2653) or 0x267F or 0x2693 or 0x26A1 or 0x26AA
            or 0x26AB or 0x26BD or 0x26BE or 0x26C4 or 0x26C5 or 0x26CE or 0x26D4 or 0x26EA or 0x26F2 or 0x26F3 or 0x26F5
            or 0x26FA or 0x26FD or 0x2705 or 0x270A or 0x270B or 0x2728 or 0x274C or 0x274E or (>= 0x2753 and <= 0x2755)
            or 0x2757 or (>= 0x2795 and <= 0x2797) or 0x27B0 or 0x27BF or 0x2B1B or 0x2B1C or 0x2B50 or 0x2B55;

    private PdfFace ChooseFace(int codepoint, int next, PdfFace primary, PdfFace? current, bool bold)
    {
        if (current is not null && Continues(codepoint))
        {
            return current;
        }

        if (IsEmoji(codepoint, next) && _fonts.Fallback(codepoint, bold, emoji: true) is { } emoji)
        {
            return emoji;
        }

        if (codepoint is ' ' or '\u00A0' || primary.Covers(codepoint))
        {
            return primary;
        }

        return _fonts.Fallback(codepoint, bold) ?? primary;
    }

    /// <summary>The script of each UTF-16 unit; common and inherited characters take the script around them.</summary>
    private Script[] ResolveScripts(string text)
    {
        var scripts = new Script[text.Length];
        Script last = Script.Invalid;
        var firstReal = -1;
        for (var i = 0; i < text.Length;)
        {
            var rune = Rune.GetRuneAt(text, i);
            var script = _unicode.GetScript(rune.Value);
            if (script == Script.Common || script == Script.Inherited || script == Script.Unknown)
            {
                script = last;
            }
            else if (firstReal < 0)
            {
                firstReal = i;
            }

            last = script;
            scripts.AsSpan(i, rune.Utf16SequenceLength).Fill(script);
            i += rune.Utf16SequenceLength;
        }

        if (firstReal > 0)
        {
            scripts.AsSpan(0, firstReal).Fill(scripts[firstReal]);
        }

        return scripts;
    }

    private GlyphRun ShapeRun(string text, int start, int end, PdfFace face, byte level, Script script, float size)
    {
        var rtl = (level & 1) == 1;
        _buffer.ClearContents();
        _buffer.AddUtf16(text.AsSpan(), start, end - start);
        _buffer.Direction = rtl ? Direction.RightToLeft : Direction.LeftToRight;
        if (script != Script.Invalid)
        {
            _buffer.Script = script;
        }

        _buffer.GuessSegmentProperties();
        face.Shape(_buffer, text.AsSpan(start, end - start));

        var infos = _buffer.GetGlyphInfoSpan();
        var positions = _buffer.GetGlyphPositionSpan();
        var scale = size / face.UnitsPerEm;
        var glyphs = new ushort[infos.Length];
        var clusters = new int[infos.Length];
        var advances = new float[infos.Length];
        var offsets = new SkiaSharp.SKPoint[infos.Length];
        for (var i = 0; i < infos.Length; i++)
        {
            glyphs[i] = (ushort)infos[i].Codepoint;
            clusters[i] = (int)infos[i].Cluster;
            advances[i] = positions[i].XAdvance * scale;
            offsets[i] = new SkiaSharp.SKPoint(positions[i].XOffset * scale, -positions[i].YOffset * scale);
        }

        return new GlyphRun(face, start, end, level, glyphs, clusters, advances, offsets);
    }
}

/// <summary>Shaped glyphs of one run (one font, one level, one script), in visual order; clusters index the paragraph's text.</summary>
internal sealed class GlyphRun(PdfFace face, int start, int end, byte level, ushort[] glyphs, int[] clusters, float[] advances, SkiaSharp.SKPoint[] offsets)
{
    public PdfFace Face { get; } = face;

    public int Start { get; } = start;

    public int End { get; } = end;

    public byte Level { get; } = level;

    public int Count => glyphs.Length;

    public ReadOnlySpan<ushort> Glyphs => glyphs;

    public ReadOnlySpan<int> Clusters => clusters;

    public ReadOnlySpan<float> Advances => advances;

    public ReadOnlySpan<SkiaSharp.SKPoint> Offsets => offsets;
}
