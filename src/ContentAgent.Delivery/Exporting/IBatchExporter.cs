using ContentAgent.Batches;

namespace ContentAgent.Delivery.Exporting;

/// <summary>Writes a batch's result to files a person or another tool reads.</summary>
public interface IBatchExporter
{
    /// <summary>
    /// Writes <c>posts.json</c>, <c>posts.md</c> and <c>summary.json</c> into <c>&lt;outputDirectory&gt;/&lt;planId&gt;/</c>.
    /// Each file is written under a temporary name and moved into place, so a crash never leaves a half-written file.
    /// </summary>
    /// <param name="result">The batch's result.</param>
    /// <param name="outputDirectory">The folder that receives the plan's folder; created when missing.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>Where the files went.</returns>
    Task<BatchExport> ExportAsync(BatchResult result, string outputDirectory, CancellationToken cancellationToken = default);
}

/// <summary>The files an export wrote.</summary>
/// <param name="Directory">The plan's folder.</param>
/// <param name="Files">The full paths of the files written.</param>
public sealed record BatchExport(string Directory, IReadOnlyList<string> Files);
