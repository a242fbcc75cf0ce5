using System.Globalization;
using System.Reflection;
using ContentAgent.Delivery.Packaging.Pdf;
using SkiaSharp;

namespace ContentAgent.Delivery.Packaging;

/// <summary>
/// Renders <c>strategy.pdf</c> with SkiaSharp's PDF backend: the whole document is laid out first (so every page knows
/// the page count), the fonts are then cut down to the glyphs used, and the pages are drawn. Text is shaped with
/// HarfBuzz, falls back per character to a system font that has the glyph, and carries its characters for extraction.
/// </summary>
internal sealed class PdfStrategyRenderer : IPackageRenderer
{
    private static readonly string SkiaVersion =
        typeof(SKCanvas).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(SKCanvas).Assembly.GetName().Version?.ToString(3)
        ?? "3";

    private static readonly string CreatorName = $"ContentAgent.Delivery {typeof(PdfStrategyRenderer).Assembly.GetName().Version?.ToString(3)}";

    public string Format => "pdf";

    public string FileName => "strategy.pdf";

    public string Generator => $"SkiaSharp {SkiaVersion}";

    public async Task RenderAsync(PackageDocument document, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new MemoryStream();
        Render(document, buffer, cancellationToken);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the PDF to <paramref name="stream"/> and returns its page count.</summary>
    internal static int Render(PackageDocument document, Stream stream, CancellationToken cancellationToken)
    {
        using var fonts = new PdfFontSet(document.Font, document.BoldFont);
        using var shaper = new TextShaper(fonts);
        using var logoData = document.Logo is { } logo ? SKData.CreateCopy(logo.Span) : null;
        using var logoImage = logoData is null ? null : SKImage.FromEncodedData(logoData);

        var pages = new StrategyLayout(document, shaper, logoImage, cancellationToken).Compose();
        fonts.Subset();

        using (var pdf = SKDocument.CreatePdf(stream, Metadata(document)))
        using (var paint = new SKPaint { IsAntialias = true })
        {
            foreach (var page in pages)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var canvas = pdf.BeginPage(PageFlow.PageWidth, PageFlow.PageHeight);
                foreach (var item in page.Items)
                {
                    item.Draw(canvas, paint);
                }

                pdf.EndPage();
            }

            pdf.Close();
        }

        return pages.Count;
    }

    private static SKDocumentPdfMetadata Metadata(PackageDocument document)
    {
        var platforms = string.Join(", ", document.Platforms.Select(static p => p.Name));
        var created = document.CreatedAt.UtcDateTime;
        return new SKDocumentPdfMetadata(SKDocumentPdfMetadata.DefaultRasterDpi, SKDocumentPdfMetadata.DefaultEncodingQuality)
        {
            Title = document.Title,
            Author = document.AgencyName,
            Subject = string.Create(CultureInfo.InvariantCulture, $"{document.Posts.Count} posts for {platforms}, with scores and learnings"),
            Keywords = string.Join(", ", document.Posts.Select(static p => p.Spec.Topic).Distinct(StringComparer.OrdinalIgnoreCase)),
            Creator = CreatorName,
            Producer = $"SkiaSharp {SkiaVersion}",
            Creation = created,
            Modified = created,
        };
    }
}
