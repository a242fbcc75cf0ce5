using System.IO.Packaging;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;

namespace ContentAgent.Delivery.Packaging.Pptx;

/// <summary>
/// Renders <c>deck.pptx</c> with the Open XML SDK, built from scratch: a branded theme, master and layouts, a title slide,
/// an executive summary, overview slides with the score table, a slide per post (continued on more slides when long, with
/// the score breakdown in the speaker notes) and the learnings. Text is measured with the deck's font so it never overflows.
/// </summary>
internal sealed class PptxDeckRenderer : IPackageRenderer
{
    private static readonly string Version = typeof(PresentationDocument).Assembly.GetName().Version?.ToString(3) ?? "3";

    public string Format => "pptx";

    public string FileName => "deck.pptx";

    public string Generator => $"DocumentFormat.OpenXml {Version}";

    public async Task RenderAsync(PackageDocument document, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(output);

        // The package is built in memory (the SDK writes synchronously), then copied to the output asynchronously.
        using var memory = new MemoryStream(256 * 1024);
        Render(document, memory, cancellationToken);
        memory.Position = 0;
        await memory.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
    }

    internal static void Render(PackageDocument document, Stream output, CancellationToken cancellationToken)
    {
        using var fitter = new TextFitter(document.Font, document.BoldFont);
        using var package = PresentationDocument.Create(output, PresentationDocumentType.Presentation, autoSave: true);
        // Fast deflate: compressing the XML is most of the time spent saving; the file is about a quarter larger.
        package.CompressionOption = CompressionOption.Fast;
        package.PackageProperties.Title = Slides.Clean(document.Title);
        package.PackageProperties.Creator = Slides.Clean(document.AgencyName);
        package.PackageProperties.Subject = Slides.Clean(document.Batch.Plan.Brief);
        package.PackageProperties.Created = document.CreatedAt.UtcDateTime;
        package.PackageProperties.Modified = document.CreatedAt.UtcDateTime;
        new DeckBuilder(package, document, fitter).Build(cancellationToken);
    }
}
