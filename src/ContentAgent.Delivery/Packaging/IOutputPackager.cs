using ContentAgent.Batches;

namespace ContentAgent.Delivery.Packaging;

/// <summary>Builds a client package from a batch: <c>strategy.pdf</c>, <c>deck.pptx</c>, <c>summary.html</c> and <c>manifest.json</c>.</summary>
public interface IOutputPackager
{
    /// <summary>Gets the formats the registered renderers produce (for example <c>pdf</c>, <c>pptx</c>, <c>html</c>).</summary>
    IReadOnlyList<string> Formats { get; }

    /// <summary>
    /// Renders the selected formats into <c>&lt;outputDirectory&gt;/&lt;planId&gt;/</c>, each file written under a temporary
    /// name and moved into place, then writes <c>manifest.json</c> (files, sizes, SHA-256, generators, creation time).
    /// A renderer that fails, or branding that cannot be used, is an entry in <see cref="PackageResult.Errors"/>; no
    /// exception escapes for it. Cancellation still cancels.
    /// </summary>
    /// <param name="batch">The batch (or any project snapshot shaped as one) to package; it needs at least one done post.</param>
    /// <param name="outputDirectory">The folder that receives the plan's folder; created when missing.</param>
    /// <param name="formats">The formats to render; <see langword="null"/> or empty renders every registered one.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What was written and what failed.</returns>
    /// <exception cref="ArgumentException">The batch has no done post, or a format is not registered (the message lists those that are).</exception>
    Task<PackageResult> PackageAsync(BatchResult batch, string outputDirectory, IReadOnlyCollection<string>? formats = null, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of packaging: the files written and the errors, one per failed renderer or unusable branding setting.</summary>
/// <param name="Directory">The package folder.</param>
/// <param name="Files">The deliverables written, in format order.</param>
/// <param name="Errors">What failed; the package is still usable for every format in <paramref name="Files"/>.</param>
/// <param name="ManifestPath">The manifest's path, or <see langword="null"/> when it could not be written.</param>
public sealed record PackageResult(string Directory, IReadOnlyList<PackageFile> Files, IReadOnlyList<PackageError> Errors, string? ManifestPath)
{
    /// <summary>Gets a value indicating whether every selected format was written with its branding and the manifest.</summary>
    public bool Succeeded => Errors.Count == 0 && ManifestPath is not null;
}

/// <summary>A deliverable written to the package.</summary>
/// <param name="Format">The format's short name.</param>
/// <param name="Path">The file's full path.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">Its SHA-256, lower-case hexadecimal.</param>
/// <param name="Generator">What made it.</param>
public sealed record PackageFile(string Format, string Path, long Size, string Sha256, string Generator);

/// <summary>Something the package could not do.</summary>
/// <param name="Source">The format that failed (for example <c>pdf</c>), <c>branding</c>, or <c>manifest</c>.</param>
/// <param name="Message">What went wrong and what to do, in one line.</param>
public sealed record PackageError(string Source, string Message);
