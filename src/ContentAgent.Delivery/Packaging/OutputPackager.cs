using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContentAgent.Batches;
using ContentAgent.Delivery.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContentAgent.Delivery.Packaging;

/// <summary>
/// Runs the selected renderers side by side, each in isolation and each into a temporary file moved into place, then
/// writes <c>manifest.json</c>. Failures are values (<see cref="PackageResult.Errors"/>); cancellation cancels.
/// </summary>
internal sealed class OutputPackager : IOutputPackager
{
    internal const string ManifestFile = "manifest.json";
    private static readonly string Generator = $"ContentAgent.Delivery {typeof(OutputPackager).Assembly.GetName().Version?.ToString(3)}";

    private readonly IReadOnlyList<IPackageRenderer> _renderers;
    private readonly IOptionsMonitor<PackagingOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    private readonly DeliveryInstruments? _instruments;

    public OutputPackager(IEnumerable<IPackageRenderer> renderers, IOptionsMonitor<PackagingOptions> options, TimeProvider timeProvider, ILogger<OutputPackager>? logger = null, DeliveryInstruments? instruments = null)
    {
        _instruments = instruments;
        _renderers = [.. renderers];
        var duplicate = _renderers.GroupBy(static r => r.Format, StringComparer.OrdinalIgnoreCase).FirstOrDefault(static g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two package renderers claim the format '{duplicate.Key}'; register one per format.");
        }

        _options = options;
        _timeProvider = timeProvider;
        _logger = logger ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public IReadOnlyList<string> Formats => [.. _renderers.Select(static r => r.Format)];

    public async Task<PackageResult> PackageAsync(BatchResult batch, string outputDirectory, IReadOnlyCollection<string>? formats = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        if (!batch.Posts.Any(static p => p.Status == PostStatus.Done && p.Text is not null))
        {
            throw new ArgumentException($"Batch {batch.Plan.PlanId} has no finished posts, so there is nothing to package; write its posts first (resume or retry-failed).", nameof(batch));
        }

        if (batch.Plan.PlanId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || batch.Plan.PlanId is "." or "..")
        {
            throw new ArgumentException($"The plan id '{batch.Plan.PlanId}' cannot name a folder.", nameof(batch));
        }

        var selected = Select(formats);
        var started = _timeProvider.GetTimestamp();
        using var activity = ContentAgent.Diagnostics.Telemetry.ActivitySource.StartActivity("contentagent.package");
        activity?.SetTag("contentagent.plan_id", batch.Plan.PlanId);
        activity?.SetTag("contentagent.package.formats", string.Join(",", selected.Select(static r => r.Format)));

        var directory = Path.GetFullPath(Path.Combine(outputDirectory, batch.Plan.PlanId));
        var errors = new List<PackageError>();
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing can be written: every selected format fails with the reason, and no exception escapes.
            var reason = $"the folder '{directory}' cannot be written ({ex.Message.ReplaceLineEndings(" ")}); pass another --out.";
            errors.AddRange(selected.Select(r => new PackageError(r.Format, $"{r.FileName}: {reason}")));
            Log(batch.Plan.PlanId, errors);
            return new PackageResult(directory, [], errors, null);
        }

        var brand = await BrandAssets.LoadAsync(_options.CurrentValue, errors, cancellationToken).ConfigureAwait(false);
        var document = new PackageDocument(batch, brand, _timeProvider.GetUtcNow());

        var outcomes = await Task.WhenAll(selected.Select(renderer => RenderAsync(renderer, document, directory, cancellationToken))).ConfigureAwait(false);
        var files = outcomes.Where(static o => o.File is not null).Select(static o => o.File!).ToList();
        errors.AddRange(outcomes.Where(static o => o.Error is not null).Select(static o => o.Error!));

        string? manifestPath = null;
        try
        {
            var manifest = new ManifestDocument(
                batch.Plan.PlanId,
                batch.Plan.TenantId,
                document.CreatedAt,
                Generator,
                [.. files.Select(static f => new ManifestFile(Path.GetFileName(f.Path), f.Format, f.Size, f.Sha256, f.Generator))],
                [.. errors.Select(static e => new ManifestError(e.Source, e.Message))]);
            manifestPath = await AtomicFile.WriteAsync(directory, ManifestFile, JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson.Default.ManifestDocument), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new PackageError("manifest", $"{ManifestFile} could not be written: {ex.Message.ReplaceLineEndings(" ")}"));
        }

        Log(batch.Plan.PlanId, errors);
        var elapsed = _timeProvider.GetElapsedTime(started);
        _instruments?.PackageDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("contentagent.package.formats", string.Join(",", selected.Select(static r => r.Format))));
        DeliveryLog.Packaged(_logger, batch.Plan.PlanId, files.Count, directory, errors.Count, (long)elapsed.TotalMilliseconds);
        activity?.SetTag("contentagent.package.files", files.Count);
        if (errors.Count > 0)
        {
            activity?.SetStatus(ActivityStatusCode.Error, $"{errors.Count} error(s)");
        }

        return new PackageResult(directory, files, errors, manifestPath);
    }

    private static async Task<(PackageFile? File, PackageError? Error)> RenderAsync(IPackageRenderer renderer, PackageDocument document, string directory, CancellationToken cancellationToken)
    {
        try
        {
            // Off the caller's thread: renderers are CPU-bound and run side by side.
            var path = await Task.Run(
                () => AtomicFile.WriteAsync(directory, renderer.FileName, (stream, token) => renderer.RenderAsync(document, stream, token), cancellationToken),
                cancellationToken).ConfigureAwait(false);
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
                return (new PackageFile(renderer.Format, path, stream.Length, Convert.ToHexStringLower(hash), renderer.Generator), null);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return (null, new PackageError(renderer.Format, $"{renderer.FileName} could not be made: {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}"));
        }
    }

    private void Log(string planId, List<PackageError> errors)
    {
        foreach (var error in errors)
        {
            DeliveryLog.PackageError(_logger, planId, error.Source, error.Message);
        }
    }

    private List<IPackageRenderer> Select(IReadOnlyCollection<string>? formats)
    {
        if (formats is null || formats.Count == 0)
        {
            return [.. _renderers];
        }

        var selected = new List<IPackageRenderer>();
        foreach (var format in formats.Select(static f => f.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            selected.Add(_renderers.FirstOrDefault(r => string.Equals(r.Format, format, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"'{format}' is not a package format; use {string.Join(", ", Formats)}.", nameof(formats)));
        }

        return selected;
    }
}

/// <summary>The shape of <c>manifest.json</c>.</summary>
internal sealed record ManifestDocument(string PlanId, string TenantId, DateTimeOffset CreatedAt, string Generator, IReadOnlyList<ManifestFile> Files, IReadOnlyList<ManifestError> Errors);

/// <summary>A file of <c>manifest.json</c>.</summary>
internal sealed record ManifestFile(string Name, string Format, long Size, string Sha256, string Generator);

/// <summary>An error of <c>manifest.json</c>.</summary>
internal sealed record ManifestError(string Source, string Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ManifestDocument))]
internal sealed partial class ManifestJson : JsonSerializerContext;
