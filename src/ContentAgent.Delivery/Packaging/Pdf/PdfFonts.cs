using HarfBuzzSharp;
using SkiaSharp;
using SkiaSharp.HarfBuzz;
using HbFont = HarfBuzzSharp.Font;

namespace ContentAgent.Delivery.Packaging.Pdf;

/// <summary>
/// One typeface as the PDF uses it: shaped with HarfBuzz from the full font, and drawn, once the layout is done, from a
/// subset holding only the glyphs the layout used (see <see cref="FontSubsetter"/>).
/// </summary>
internal sealed class PdfFace : IDisposable
{
    private const uint GlyfTable = ('g' << 24) | ('l' << 16) | ('y' << 8) | 'f';

    private readonly Blob _blob;
    private readonly Face _face;
    private readonly HbFont _font;
    private readonly bool _ownsTypeface;
    private readonly HashSet<ushort> _glyphs = [];
    private readonly HashSet<int> _codepoints = [];
    private readonly Dictionary<float, SKFont> _drawingFonts = [];
    private SKTypeface? _subset;

    public PdfFace(SKTypeface typeface, bool ownsTypeface)
    {
        Typeface = typeface;
        _ownsTypeface = ownsTypeface;
        _blob = typeface.OpenStream(out var index).ToHarfBuzzBlob();
        _face = new Face(_blob, index) { Index = index, UnitsPerEm = typeface.UnitsPerEm };
        _font = new HbFont(_face);
        _font.SetFunctionsOpenType();
        UnitsPerEm = Math.Max(16, typeface.UnitsPerEm);
        _font.SetScale(UnitsPerEm, UnitsPerEm);

        using var metricsFont = new SKFont(typeface, 1);
        var metrics = metricsFont.Metrics;
        Ascent = metrics.Ascent < 0 ? -metrics.Ascent : 0.9f;
        Descent = metrics.Descent > 0 ? metrics.Descent : 0.25f;
    }

    /// <summary>Gets the full typeface, the one text is shaped with.</summary>
    public SKTypeface Typeface { get; }

    /// <summary>Gets the design units per em the HarfBuzz positions are in.</summary>
    public int UnitsPerEm { get; }

    /// <summary>Gets the ascent, in ems.</summary>
    public float Ascent { get; }

    /// <summary>Gets the descent, in ems.</summary>
    public float Descent { get; }

    /// <summary>Gets the family name, for logs and fallback matching.</summary>
    public string FamilyName => Typeface.FamilyName;

    /// <summary>Whether the font maps <paramref name="codepoint"/> to a glyph.</summary>
    public bool Covers(int codepoint) => _font.TryGetGlyph((uint)codepoint, out var glyph) && glyph != 0;

    /// <summary>Shapes the buffer's text with this font and remembers the glyphs and characters, for the subset.</summary>
    public void Shape(HarfBuzzSharp.Buffer buffer, ReadOnlySpan<char> text)
    {
        _font.Shape(buffer);
        foreach (var info in buffer.GetGlyphInfoSpan())
        {
            _glyphs.Add((ushort)info.Codepoint);
        }

        foreach (var rune in text.EnumerateRunes())
        {
            _codepoints.Add(rune.Value);
        }
    }

    /// <summary>Replaces the drawing typeface by a subset of the glyphs shaped so far (TrueType outlines only; others stay whole).</summary>
    public void Subset()
    {
        if (_subset is not null || _glyphs.Count == 0 || !Typeface.GetTableTags().Contains(GlyfTable))
        {
            return;
        }

        var bytes = FontSubsetter.Subset(_face.Handle, _glyphs, _codepoints);
        if (bytes is null)
        {
            return;
        }

        using var data = SKData.CreateCopy(bytes);
        _subset = SKTypeface.FromData(data);
    }

    /// <summary>Gets the font to draw with at <paramref name="size"/>: the subset when there is one.</summary>
    public SKFont DrawingFont(float size)
    {
        if (!_drawingFonts.TryGetValue(size, out var font))
        {
            font = new SKFont(_subset ?? Typeface, size) { Subpixel = true, LinearMetrics = true, Hinting = SKFontHinting.None };
            _drawingFonts.Add(size, font);
        }

        return font;
    }

    public void Dispose()
    {
        foreach (var font in _drawingFonts.Values)
        {
            font.Dispose();
        }

        _font.Dispose();
        _face.Dispose();
        _blob.Dispose();
        _subset?.Dispose();
        if (_ownsTypeface)
        {
            Typeface.Dispose();
        }
    }
}

/// <summary>
/// The fonts of one render: the brand's regular and bold fonts, and system fonts found per character for what they lack
/// (CJK, colour emoji, scripts a custom font does not cover), each looked up once and shared.
/// </summary>
internal sealed class PdfFontSet : IDisposable
{
    private readonly List<PdfFace> _faces = [];
    private static readonly string[] EmojiLanguage = ["und-Zsye"];
    private readonly Dictionary<(int Codepoint, bool Bold, bool Emoji), PdfFace?> _fallbackByCharacter = [];
    private readonly Dictionary<string, PdfFace> _fallbackByName = new(StringComparer.Ordinal);

    public PdfFontSet(ReadOnlyMemory<byte> regular, ReadOnlyMemory<byte> bold)
    {
        Regular = Add(Load(regular));
        Bold = regular.Span.SequenceEqual(bold.Span) ? SystemBold(Regular) ?? Regular : Add(Load(bold));
    }

    public PdfFace Regular { get; }

    public PdfFace Bold { get; }

    /// <summary>Gets every face used so far.</summary>
    public IReadOnlyList<PdfFace> Faces => _faces;

    /// <summary>Finds a system font that has <paramref name="codepoint"/> (a colour one for an emoji); <see langword="null"/> when none has.</summary>
    public PdfFace? Fallback(int codepoint, bool bold, bool emoji = false)
    {
        if (_fallbackByCharacter.TryGetValue((codepoint, bold, emoji), out var known))
        {
            return known;
        }

        PdfFace? face = null;
        var primary = bold ? Bold : Regular;
        var typeface = SKFontManager.Default.MatchCharacter(primary.FamilyName, bold ? SKFontStyle.Bold : SKFontStyle.Normal, emoji ? EmojiLanguage : null, codepoint);
        if (typeface is not null)
        {
            var key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{typeface.FamilyName}|{typeface.FontWeight}|{typeface.FontSlant}");
            // System typefaces are shared by Skia's font manager (the same object may come back): never disposed here.
            if (_fallbackByName.TryGetValue(key, out var existing))
            {
                face = existing;
            }
            else
            {
                face = Add(new PdfFace(typeface, ownsTypeface: false));
                _fallbackByName.Add(key, face);
            }

            if (!face.Covers(codepoint))
            {
                face = null;
            }
        }

        _fallbackByCharacter.Add((codepoint, bold, emoji), face);
        return face;
    }

    /// <summary>Subsets every face to the glyphs the layout shaped; call once the layout is complete.</summary>
    public void Subset()
    {
        foreach (var face in _faces)
        {
            face.Subset();
        }
    }

    public void Dispose()
    {
        foreach (var face in _faces)
        {
            face.Dispose();
        }
    }

    /// <summary>
    /// A configured font comes as one file: its family's bold from the system when installed, else none (headings then
    /// stand out by size and colour). Skia's synthetic bold is no option: its PDF backend draws emboldened text as paths.
    /// </summary>
    private PdfFace? SystemBold(PdfFace regular)
    {
        var typeface = SKFontManager.Default.MatchFamily(regular.FamilyName, SKFontStyle.Bold);
        return typeface is not null && string.Equals(typeface.FamilyName, regular.FamilyName, StringComparison.Ordinal) && typeface.FontWeight >= (int)SKFontStyleWeight.SemiBold
            ? Add(new PdfFace(typeface, ownsTypeface: false))
            : null;
    }

    private static PdfFace Load(ReadOnlyMemory<byte> bytes)
    {
        using var data = SKData.CreateCopy(bytes.Span);
        var typeface = SKTypeface.FromData(data) ?? throw new InvalidOperationException("The package font could not be loaded.");
        return new PdfFace(typeface, ownsTypeface: true);
    }

    private PdfFace Add(PdfFace face)
    {
        _faces.Add(face);
        return face;
    }
}
