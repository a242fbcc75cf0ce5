using System.Globalization;
using System.Text;
using SkiaSharp;

namespace ContentAgent.Delivery.Packaging.Pptx;

/// <summary>A piece of a paragraph with one look.</summary>
/// <param name="Text">The text, as the user wrote it.</param>
/// <param name="Bold">Whether it is bold.</param>
/// <param name="Color">Its colour as <c>RRGGBB</c>, or <see langword="null"/> for the text box's colour.</param>
internal sealed record TextRun(string Text, bool Bold = false, string? Color = null);

/// <summary>A paragraph: runs on one line of source text (no line breaks inside).</summary>
/// <param name="Runs">Its runs.</param>
internal sealed record TextParagraph(IReadOnlyList<TextRun> Runs)
{
    private string? _text;

    /// <summary>Gets the paragraph's text, its runs joined.</summary>
    public string Text => _text ??= Runs.Count == 1 ? Runs[0].Text : string.Concat(Runs.Select(static r => r.Text));

    public static TextParagraph Of(string text, bool bold = false, string? color = null) => new([new TextRun(text, bold, color)]);

    /// <summary>Splits text into paragraphs at its line breaks (CR, LF or CRLF).</summary>
    public static List<TextParagraph> Split(string text, bool bold = false, string? color = null)
    {
        var paragraphs = new List<TextParagraph>();
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            paragraphs.Add(Of(line.ToString(), bold, color));
        }

        return paragraphs;
    }

    /// <summary>Gets the part of the paragraph from <paramref name="start"/> to <paramref name="end"/> (offsets in <see cref="Text"/>).</summary>
    public TextParagraph Slice(int start, int end)
    {
        if (start == 0 && end == Text.Length)
        {
            return this;
        }

        var runs = new List<TextRun>();
        var offset = 0;
        foreach (var run in Runs)
        {
            var from = Math.Max(start, offset);
            var to = Math.Min(end, offset + run.Text.Length);
            if (from < to)
            {
                runs.Add(run with { Text = run.Text[(from - offset)..(to - offset)] });
            }

            offset += run.Text.Length;
        }

        return new TextParagraph(runs);
    }
}

/// <summary>The inside of a text box, in points, that text must fit.</summary>
/// <param name="Width">The width between the insets.</param>
/// <param name="Height">The height between the insets.</param>
internal readonly record struct TextFrame(double Width, double Height);

/// <summary>
/// Measures text with the deck's own font (SkiaSharp, advances cached per character) and breaks it into lines the way a
/// presentation app does, with a safety margin, so text is sized, truncated or continued on another slide before it could
/// overflow its box. Characters the font lacks (CJK, emoji) are measured as wide, tall fallback glyphs.
/// </summary>
internal sealed class TextFitter : IDisposable
{
    /// <summary>The share of the width text may fill: the advances are the app's own, but shaping and kerning differ slightly.</summary>
    private const double WidthMargin = 0.96;

    /// <summary>The share of the height lines may fill.</summary>
    private const double HeightMargin = 0.98;

    /// <summary>The height of a line that holds fallback glyphs (CJK fonts have tall ascents and descents), in em.</summary>
    private const double TallLineEm = 1.6;

    /// <summary>The height of an empty paragraph (a blank line between paragraphs) relative to a line of text.</summary>
    public const double BlankLineScale = 0.5;

    private const float MeasureSize = 100f;

    private readonly SKData _regularData;
    private readonly SKData _boldData;
    private readonly SKTypeface _regularTypeface;
    private readonly SKTypeface _boldTypeface;
    private readonly SKFont _regular;
    private readonly SKFont _bold;
    private readonly Dictionary<int, Glyph> _regularGlyphs = [];
    private readonly Dictionary<int, Glyph> _boldGlyphs = [];
    private readonly List<Measured> _buffer = [];
    private readonly List<Line> _lines = [];

    public TextFitter(ReadOnlyMemory<byte> regular, ReadOnlyMemory<byte> bold)
    {
        _regularData = SKData.CreateCopy(regular.Span);
        _boldData = SKData.CreateCopy(bold.Span);
        _regularTypeface = SKTypeface.FromData(_regularData) ?? throw new InvalidOperationException("The deck's font cannot be loaded.");
        _boldTypeface = SKTypeface.FromData(_boldData) ?? _regularTypeface;
        _regular = new SKFont(_regularTypeface, MeasureSize);
        _bold = new SKFont(_boldTypeface, MeasureSize);

        // The app's line height at 100 % spacing is the font's ascent plus descent (plus its gap); a little more for safety.
        var metrics = _regular.Metrics;
        LineEm = Math.Max(1.15, (metrics.Descent - metrics.Ascent + metrics.Leading) / MeasureSize) * 1.03;
    }

    /// <summary>Gets the height of a line of the font, in em, with its safety margin.</summary>
    public double LineEm { get; }

    public void Dispose()
    {
        _regular.Dispose();
        _bold.Dispose();
        if (!ReferenceEquals(_boldTypeface, _regularTypeface))
        {
            _boldTypeface.Dispose();
        }

        _regularTypeface.Dispose();
        _regularData.Dispose();
        _boldData.Dispose();
    }

    /// <summary>Gets the width of text on one line, in points.</summary>
    public double Width(string text, double size, bool bold = false)
    {
        var width = 0.0;
        foreach (var rune in text.EnumerateRunes())
        {
            width += Measure(rune, bold).Advance;
        }

        return width * size;
    }

    /// <summary>Gets the lines a paragraph takes at a size in a frame, and their height in points.</summary>
    public (int Lines, double Height) Lines(TextParagraph paragraph, double size, double width)
    {
        Break(paragraph, width / size * WidthMargin);
        var height = 0.0;
        foreach (var line in _lines)
        {
            height += LineHeight(line, size);
        }

        return (_lines.Count, height);
    }

    /// <summary>
    /// Fits paragraphs in a frame: at the largest of <paramref name="sizes"/> (largest first) where they fit on one page,
    /// else at <paramref name="continuedSize"/> over as many pages as it takes, split between lines.
    /// </summary>
    public (double Size, List<List<TextParagraph>> Pages) Fit(IReadOnlyList<TextParagraph> paragraphs, TextFrame frame, ReadOnlySpan<double> sizes, double continuedSize)
    {
        foreach (var size in sizes)
        {
            if (Fits(paragraphs, frame, size))
            {
                return (size, [[.. paragraphs]]);
            }
        }

        return (continuedSize, Paginate(paragraphs, frame, continuedSize));
    }

    /// <summary>Gets whether paragraphs fit a frame at a size.</summary>
    public bool Fits(IReadOnlyList<TextParagraph> paragraphs, TextFrame frame, double size)
    {
        var height = frame.Height * HeightMargin;
        var used = 0.0;
        foreach (var paragraph in paragraphs)
        {
            Break(paragraph, frame.Width / size * WidthMargin);
            foreach (var line in _lines)
            {
                used += LineHeight(line, size);
                if (used > height)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Splits paragraphs into as few pages as fit the frame at a size, a paragraph split between lines where it must, with
    /// the lines spread evenly over the pages (so the last page is not a lonely line).
    /// </summary>
    public List<List<TextParagraph>> Paginate(IReadOnlyList<TextParagraph> paragraphs, TextFrame frame, double size)
    {
        var full = frame.Height * HeightMargin;
        var pages = Paginate(paragraphs, frame.Width, size, full);
        if (pages.Count < 2)
        {
            return pages;
        }

        // The smallest page height that needs no more pages than a full one: found by bisection, a few greedy passes.
        var (low, high) = (0.0, full);
        for (var i = 0; i < 8; i++)
        {
            var middle = (low + high) / 2;
            if (Paginate(paragraphs, frame.Width, size, middle).Count <= pages.Count)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high < full ? Paginate(paragraphs, frame.Width, size, high) : pages;
    }

    private List<List<TextParagraph>> Paginate(IReadOnlyList<TextParagraph> paragraphs, double width, double size, double height)
    {
        var pages = new List<List<TextParagraph>>();
        var page = new List<TextParagraph>();
        var used = 0.0;
        foreach (var paragraph in paragraphs)
        {
            Break(paragraph, width / size * WidthMargin);
            var from = 0;
            for (var i = 0; i < _lines.Count; i++)
            {
                var lineHeight = LineHeight(_lines[i], size);
                if (used + lineHeight > height && (page.Count > 0 || i > from))
                {
                    if (i > from)
                    {
                        page.Add(paragraph.Slice(_lines[from].Start, _lines[i].Start));
                    }

                    pages.Add(page);
                    page = [];
                    used = 0;
                    from = i;
                }

                // A blank line at the top of a continued page is dropped.
                if (page.Count == 0 && i == from && paragraph.Text.Length == 0 && pages.Count > 0)
                {
                    from = i + 1;
                    continue;
                }

                used += lineHeight;
            }

            if (from < _lines.Count)
            {
                page.Add(paragraph.Slice(_lines[from].Start, paragraph.Text.Length));
            }
        }

        if (page.Count > 0 || pages.Count == 0)
        {
            pages.Add(page);
        }

        return pages;
    }

    /// <summary>
    /// Fits one paragraph (a title) in a frame at the largest size that holds it; at the smallest size it is cut after the
    /// lines that fit and ends with an ellipsis.
    /// </summary>
    public (double Size, TextParagraph Paragraph) FitParagraph(TextParagraph paragraph, TextFrame frame, ReadOnlySpan<double> sizes)
    {
        foreach (var size in sizes)
        {
            if (Lines(paragraph, size, frame.Width).Height <= frame.Height * HeightMargin)
            {
                return (size, paragraph);
            }
        }

        var smallest = sizes[^1];
        var maxLines = Math.Max(1, (int)(frame.Height * HeightMargin / (TallLineEm * smallest)));
        return (smallest, Truncate(paragraph, frame.Width, smallest, maxLines));
    }

    /// <summary>Cuts a paragraph after <paramref name="maxLines"/> lines, ending it with an ellipsis that fits.</summary>
    public TextParagraph Truncate(TextParagraph paragraph, double width, double size, int maxLines)
    {
        var maxEm = width / size * WidthMargin;
        Break(paragraph, maxEm);
        if (_lines.Count <= maxLines)
        {
            return paragraph;
        }

        var text = paragraph.Text;
        var start = _lines[maxLines - 1].Start;
        var end = _lines[maxLines - 1].End;
        var ellipsis = Measure(new Rune('…'), false).Advance;
        while (end > start && (char.IsWhiteSpace(text[end - 1]) || LineWidth(paragraph, start, end) + ellipsis > maxEm))
        {
            end -= end - 1 > start && char.IsLowSurrogate(text[end - 1]) ? 2 : 1;
        }

        var cut = paragraph.Slice(0, end);
        var runs = cut.Runs.ToList();
        if (runs.Count == 0)
        {
            runs.Add(new TextRun("…"));
        }
        else
        {
            runs[^1] = runs[^1] with { Text = runs[^1].Text + "…" };
        }

        return new TextParagraph(runs);
    }

    private double LineHeight(Line line, double size) =>
        line.Blank ? LineEm * size * BlankLineScale
        : (line.Tall ? Math.Max(TallLineEm, LineEm) : LineEm) * size;

    private double LineWidth(TextParagraph paragraph, int start, int end)
    {
        var width = 0.0;
        var offset = 0;
        foreach (var run in paragraph.Runs)
        {
            var from = Math.Max(start, offset);
            var to = Math.Min(end, offset + run.Text.Length);
            if (from < to)
            {
                foreach (var rune in run.Text.AsSpan((from - offset)..(to - offset)).EnumerateRunes())
                {
                    width += Measure(rune, run.Bold).Advance;
                }
            }

            offset += run.Text.Length;
        }

        return width;
    }

    /// <summary>Breaks a paragraph into <see cref="_lines"/>, greedily, at spaces and between CJK characters; a word longer than a line is cut.</summary>
    private void Break(TextParagraph paragraph, double maxEm)
    {
        _buffer.Clear();
        _lines.Clear();
        var offset = 0;
        foreach (var run in paragraph.Runs)
        {
            var index = 0;
            foreach (var rune in run.Text.EnumerateRunes())
            {
                var glyph = Measure(rune, run.Bold);
                _buffer.Add(new Measured(offset + index, glyph.Advance, glyph.Fallback, Rune.IsWhiteSpace(rune), Scripts.BreaksAfter(rune.Value), Scripts.NoBreakBefore(rune.Value)));
                index += rune.Utf16SequenceLength;
            }

            offset += run.Text.Length;
        }

        var count = _buffer.Count;
        var start = 0;
        var breakAt = -1;
        var width = 0.0;
        for (var i = 0; i < count; i++)
        {
            var glyph = _buffer[i];
            if (glyph.Space)
            {
                // Spaces hang past the edge; the next line starts after them.
                width += glyph.Advance;
                breakAt = i + 1;
                continue;
            }

            while (width + glyph.Advance > maxEm && i > start)
            {
                var next = breakAt > start ? breakAt : i;
                AddLine(start, next, offset);
                start = next;
                breakAt = -1;
                width = 0;
                for (var j = start; j < i; j++)
                {
                    width += _buffer[j].Advance;
                }
            }

            width += glyph.Advance;
            if (glyph.BreakAfter && !(i + 1 < count && _buffer[i + 1].NoBreakBefore))
            {
                breakAt = i + 1;
            }
        }

        AddLine(start, count, offset);
    }

    private void AddLine(int from, int to, int textLength)
    {
        var tall = false;
        for (var i = from; i < to && !tall; i++)
        {
            tall = _buffer[i].Fallback;
        }

        var start = from < _buffer.Count ? _buffer[from].Offset : textLength;
        var end = to < _buffer.Count ? _buffer[to].Offset : textLength;
        _lines.Add(new Line(start, end, tall, _buffer.Count == 0));
    }

    private Glyph Measure(Rune rune, bool bold)
    {
        var cache = bold ? _boldGlyphs : _regularGlyphs;
        if (cache.TryGetValue(rune.Value, out var glyph))
        {
            return glyph;
        }

        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format or UnicodeCategory.Control)
        {
            glyph = new Glyph(0, false);
        }
        else
        {
            var font = bold ? _bold : _regular;
            if (font.ContainsGlyph(rune.Value))
            {
                glyph = new Glyph(font.MeasureText(rune.ToString()) / MeasureSize, false);
            }
            else
            {
                // Drawn from a fallback font the deck does not know: CJK is one em wide, emoji and the rest a little more.
                glyph = new Glyph(Scripts.Of(rune) is Script.Cjk or Script.Hangul ? 1.02 : 1.3, true);
            }
        }

        cache[rune.Value] = glyph;
        return glyph;
    }

    private readonly record struct Glyph(double Advance, bool Fallback);

    private readonly record struct Measured(int Offset, double Advance, bool Fallback, bool Space, bool BreakAfter, bool NoBreakBefore);

    private readonly record struct Line(int Start, int End, bool Tall, bool Blank);
}
