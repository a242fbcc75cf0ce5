namespace ContentAgent.Delivery.Packaging;

/// <summary>
/// Renders one deliverable of a package (a PDF strategy, a PPTX deck, an HTML summary, or a host's own format). Register
/// implementations as <see cref="IPackageRenderer"/> services; the packager runs each selected one in isolation: one that
/// throws becomes an entry in <see cref="PackageResult.Errors"/> and the others still produce their files.
/// </summary>
public interface IPackageRenderer
{
    /// <summary>Gets the format's short name, as <c>--formats</c> takes it (for example <c>pdf</c>), lower case.</summary>
    string Format { get; }

    /// <summary>Gets the file the renderer writes in the package folder (for example <c>strategy.pdf</c>).</summary>
    string FileName { get; }

    /// <summary>Gets what made the file, for the manifest (for example <c>SkiaSharp 3.119.4</c>).</summary>
    string Generator { get; }

    /// <summary>Writes the deliverable to <paramref name="output"/> (a temporary file the packager moves into place).</summary>
    /// <param name="document">The project to render, with its branding.</param>
    /// <param name="output">Where to write.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the deliverable is written.</returns>
    Task RenderAsync(PackageDocument document, Stream output, CancellationToken cancellationToken = default);
}
