using System.Text;
using SkiaSharp;

namespace ContentAgent.Delivery.Packaging.Pdf;

/// <summary>
/// A shaped paragraph, ready to be broken into lines: widths are measured from the shaped advances (per cluster, so any
/// range between cluster boundaries is measured in constant time), lines break after spaces and between CJK characters,
/// and a word wider than the line is broken between clusters.
/// </summary>
internal sealed class ShapedText
{
    private readonly List<GlyphRun> _runs;
    private readonly float[] _prefix;
    private readonly bool[] _clusterStart;
    private readonly bool[] _canBreak;

    public ShapedText(string text, TextStyle style, bool rtl, List<GlyphRun> runs, PdfFace primary)
    {
        Text = text;
        Style = style;
        Rtl = rtl;
        Primary = primary;
        _runs = runs;

        var advances = new float[text.Length + 1];
        _clusterStart = new bool[text.Length + 1];
        _clusterStart[text.Length] = true;
        foreach (var run in runs)
        {
            var clusters = run.Clusters;
            var runAdvances = run.Advances;
            for (var i = 0; i < run.Count; i++)
            {
                advances[clusters[i]] += runAdvances[i];
                _clusterStart[clusters[i]] = true;
            }
        }

        _prefix = new float[text.Length + 1];
        for (var i = 0; i < text.Length; i++)
        {
            _prefix[i + 1] = _prefix[i] + advances[i];
        }

        _canBreak = LineBreaks(text, _clusterStart);
    }

    public string Text { get; }

    public TextStyle Style { get; }

    /// <summary>Gets whether the paragraph runs right to left (its lines align right).</summary>
    public bool Rtl { get; }

    /// <summary>Gets the style's font, whose metrics place the baseline.</summary>
    public PdfFace Primary { get; }

    /// <summary>Gets the width of the whole paragraph on one line.</summary>
    public float Width => VisibleWidth(0, Text.Length);

    /// <summary>Breaks the paragraph into lines no wider than <paramref name="maxWidth"/> (an empty paragraph is one empty line).</summary>
    public List<TextLine> Wrap(float maxWidth)
    {
        var lines = new List<TextLine>();
        var n = Text.Length;
        var start = 0;
        do
        {
            var end = -1;
            for (var p = NextBreak(start); p <= n; p = NextBreak(p))
            {
                if (VisibleWidth(start, p) > maxWidth + 0.01f)
                {
                    break;
                }

                end = p;
                if (p == n)
                {
                    break;
                }
            }

            if (end < 0)
            {
                end = HardBreak(start, maxWidth);
            }

            lines.Add(Line(start, TrimEnd(start, end)));
            start = end;
        }
        while (start < n);

        return lines;
    }

    /// <summary>The largest prefix length whose width, plus <paramref name="reserve"/>, fits <paramref name="maxWidth"/>.</summary>
    public int FittingLength(float maxWidth, float reserve)
    {
        var best = 0;
        for (var p = 1; p <= Text.Length; p++)
        {
            if (_clusterStart[p] && VisibleWidth(0, p) + reserve <= maxWidth)
            {
                best = p;
            }
        }

        return best;
    }

    private static bool[] LineBreaks(string text, bool[] clusterStart)
    {
        var canBreak = new bool[text.Length + 1];
        for (var i = 1; i < text.Length; i++)
        {
            if (!clusterStart[i] || char.IsLowSurrogate(text[i]))
            {
                continue;
            }

            var before = text[i - 1];
            var after = text[i];
            if (char.IsWhiteSpace(before) && !char.IsWhiteSpace(after))
            {
                canBreak[i] = true;
            }
            else if ((IsCjk(CodepointBefore(text, i)) || IsCjk(char.ConvertToUtf32(text, i)))
                && !char.IsWhiteSpace(after) && !NoBreakBefore(after) && !NoBreakAfter(before))
            {
                canBreak[i] = true;
            }
        }

        return canBreak;
    }

    private static int CodepointBefore(string text, int index) =>
        index >= 2 && char.IsLowSurrogate(text[index - 1]) && char.IsHighSurrogate(text[index - 2])
            ? char.ConvertToUtf32(text[index - 2], text[index - 1])
            : text[index - 1];

    private static bool IsCjk(int codepoint) =>
        codepoint is (>= 0x2E80 and <= 0x9FFF) or (>= 0xAC00 and <= 0xD7AF) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0xFF00 and <= 0xFFEF) or (>= 0x20000 and <= 0x3FFFF);

    /// <summary>Characters a line may not start with (closing punctuation, small kana, the prolonged sound mark).</summary>
    private static bool NoBreakBefore(char c) => "、。，．：；！？）」』】〕〉》〙〗｝］ー々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ.,:;!?)]}%".Contains(c, StringComparison.Ordinal);

    /// <summary>Characters a line may not end with (opening brackets).</summary>
    private static bool NoBreakAfter(char c) => "（「『【〔〈《〘〖｛［([{".Contains(c, StringComparison.Ordinal);

    private int NextBreak(int position)
    {
        var p = position + 1;
        while (p < Text.Length && !_canBreak[p])
        {
            p++;
        }

        return p;
    }

    private int HardBreak(int start, float maxWidth)
    {
        var best = -1;
        for (var p = start + 1; p <= Text.Length; p++)
        {
            if (!_clusterStart[p])
            {
                continue;
            }

            if (VisibleWidth(start, p) <= maxWidth)
            {
                best = p;
            }
            else
            {
                best = best < 0 ? p : best;
                break;
            }
        }

        return best < 0 ? Text.Length : best;
    }

    private int TrimEnd(int start, int end)
    {
        while (end > start && char.IsWhiteSpace(Text[end - 1]))
        {
            end--;
        }

        return end;
    }

    private float VisibleWidth(int start, int end)
    {
        end = TrimEnd(start, end);
        return _prefix[end] - _prefix[start];
    }

    /// <summary>The glyphs of the text range [<paramref name="start"/>, <paramref name="end"/>), in visual order.</summary>
    private TextLine Line(int start, int end)
    {
        var parts = new List<LineRun>();
        foreach (var run in _runs)
        {
            if (run.End <= start || run.Start >= end)
            {
                continue;
            }

            var from = Math.Max(start, run.Start);
            var to = Math.Min(end, run.End);
            var clusters = run.Clusters;
            var first = -1;
            var last = -1;
            var width = 0f;
            for (var g = 0; g < run.Count; g++)
            {
                if (clusters[g] >= from && clusters[g] < to)
                {
                    first = first < 0 ? g : first;
                    last = g;
                    width += run.Advances[g];
                }
            }

            if (first >= 0)
            {
                parts.Add(new LineRun(run, first, last - first + 1, from, to, width));
            }
        }

        // L2: from the highest level down to the lowest odd one, reverse every sequence at that level or above.
        if (parts.Count > 1)
        {
            var highest = parts.Max(static p => p.Run.Level);
            var lowestOdd = parts.Min(static p => p.Run.Level) | 1;
            for (var level = highest; level >= lowestOdd; level--)
            {
                for (var i = 0; i < parts.Count;)
                {
                    if (parts[i].Run.Level < level)
                    {
                        i++;
                        continue;
                    }

                    var j = i;
                    while (j < parts.Count && parts[j].Run.Level >= level)
                    {
                        j++;
                    }

                    parts.Reverse(i, j - i);
                    i = j;
                }
            }
        }

        return new TextLine(this, parts, start, end);
    }
}

/// <summary>A slice of a glyph run on one line.</summary>
internal readonly record struct LineRun(GlyphRun Run, int GlyphStart, int GlyphCount, int TextStart, int TextEnd, float Width);

/// <summary>One line of a paragraph: glyph runs in visual order, drawn as one text blob that carries its text for extraction.</summary>
internal sealed class TextLine
{
    private readonly List<LineRun> _parts;

    public TextLine(ShapedText owner, List<LineRun> parts, int start, int end)
    {
        Owner = owner;
        _parts = parts;
        Start = start;
        End = end;
        Width = parts.Sum(static p => p.Width);
    }

    public ShapedText Owner { get; }

    /// <summary>Gets where the line starts in the paragraph's text.</summary>
    public int Start { get; }

    /// <summary>Gets where the line's visible text ends in the paragraph's text (trailing spaces excluded).</summary>
    public int End { get; }

    public float Width { get; }

    public TextStyle Style => Owner.Style;

    public bool Rtl => Owner.Rtl;

    public bool IsEmpty => _parts.Count == 0;

    /// <summary>Gets the baseline's distance below the top of the line box.</summary>
    public float Baseline
    {
        get
        {
            var size = Style.Size;
            var ascent = Owner.Primary.Ascent * size;
            var descent = Owner.Primary.Descent * size;
            return ((Style.LineHeight - ascent - descent) / 2) + ascent;
        }
    }

    /// <summary>Draws the line with its left edge at <paramref name="x"/> and its baseline at <paramref name="baseline"/>.</summary>
    public void Draw(SKCanvas canvas, float x, float baseline, SKPaint paint)
    {
        if (_parts.Count == 0)
        {
            return;
        }

        var text = Owner.Text;
        using var builder = new SKTextBlobBuilder();
        var pen = 0f;
        var longest = _parts.Max(static p => p.TextEnd - p.TextStart);
        Span<int> utf8Offsets = longest < 256 ? stackalloc int[257] : new int[longest + 1];
        foreach (var part in _parts)
        {
            var span = text.AsSpan(part.TextStart, part.TextEnd - part.TextStart);
            var byteCount = Encoding.UTF8.GetByteCount(span);
            var buffer = builder.AllocateRawPositionedTextRun(part.Run.Face.DrawingFont(Style.Size), part.GlyphCount, byteCount);
            Encoding.UTF8.GetBytes(span, buffer.Text);

            // Skia writes /ActualText from the clusters (byte offsets into the run's UTF-8), so shaped text extracts as typed.
            var offset = 0;
            for (var i = 0; i < span.Length; i++)
            {
                utf8Offsets[i] = offset;
                var c = span[i];
                offset += c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsHighSurrogate(c) ? 4 : char.IsLowSurrogate(c) ? 0 : 3;
            }

            utf8Offsets[span.Length] = offset;
            var glyphs = part.Run.Glyphs.Slice(part.GlyphStart, part.GlyphCount);
            var clusters = part.Run.Clusters.Slice(part.GlyphStart, part.GlyphCount);
            var advances = part.Run.Advances.Slice(part.GlyphStart, part.GlyphCount);
            var offsets = part.Run.Offsets.Slice(part.GlyphStart, part.GlyphCount);
            for (var g = 0; g < glyphs.Length; g++)
            {
                buffer.Glyphs[g] = glyphs[g];
                buffer.Positions[g] = new SKPoint(pen + offsets[g].X, offsets[g].Y);
                buffer.Clusters[g] = (uint)utf8Offsets[clusters[g] - part.TextStart];
                pen += advances[g];
            }
        }

        using var blob = builder.Build();
        if (blob is not null)
        {
            canvas.DrawText(blob, x, baseline, paint);
        }
    }
}
