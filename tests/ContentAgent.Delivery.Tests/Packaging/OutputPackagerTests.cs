using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContentAgent.Delivery.Packaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SkiaSharp;

namespace ContentAgent.Tests.Delivery.Packaging;

public sealed class OutputPackagerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-package-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ServiceProvider Services(Action<PackagingOptions>? branding = null, params IPackageRenderer[] renderers)
    {
        var services = new ServiceCollection();
        foreach (var renderer in renderers)
        {
            services.AddSingleton(renderer);
        }

        var builder = services.AddContentAgent().AddDelivery();
        if (branding is not null)
        {
            builder.ConfigurePackaging(branding);
        }

        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task PackageAsync_OneRendererThrows_TheOthersStillWriteAndTheManifestSaysWhat()
    {
        var batch = await PackageSamples.OfflineBatchAsync(5);
        await using var services = Services(null, new TextRenderer("txt"), new FailingRenderer("boom", halfWrite: true), new TextRenderer("md"));
        var packager = services.GetRequiredService<IOutputPackager>();

        var result = await packager.PackageAsync(batch, _directory, ["txt", "boom", "md"]);

        Assert.False(result.Succeeded);
        Assert.Equal(["txt", "md"], result.Files.Select(f => f.Format).Order(StringComparer.Ordinal).Reverse());
        var error = Assert.Single(result.Errors);
        Assert.Equal("boom", error.Source);
        Assert.Contains("boom.bin could not be made: InvalidOperationException: renderer exploded", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(result.Directory, "boom.bin")), "a failed renderer leaves no file");
        Assert.Empty(Directory.GetFiles(result.Directory, "*.tmp"));
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(result.ManifestPath!));
        Assert.Equal(2, manifest.RootElement.GetProperty("files").GetArrayLength());
        Assert.Equal("boom", manifest.RootElement.GetProperty("errors")[0].GetProperty("source").GetString());
    }

    [Fact]
    public async Task PackageAsync_Manifest_HoldsEachFilesSizeHashAndGenerator()
    {
        var batch = await PackageSamples.OfflineBatchAsync(3, "20261123-120000-mani");
        await using var services = Services(null, new TextRenderer("txt"));

        var result = await services.GetRequiredService<IOutputPackager>().PackageAsync(batch, _directory, ["txt"]);

        Assert.True(result.Succeeded);
        Assert.Equal(Path.Combine(_directory, batch.Plan.PlanId), result.Directory);
        var file = Assert.Single(result.Files);
        var bytes = await File.ReadAllBytesAsync(file.Path);
        Assert.Equal(bytes.Length, file.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(result.ManifestPath!));
        var root = manifest.RootElement;
        Assert.Equal(batch.Plan.PlanId, root.GetProperty("planId").GetString());
        Assert.StartsWith("ContentAgent.Delivery ", root.GetProperty("generator").GetString(), StringComparison.Ordinal);
        var entry = root.GetProperty("files")[0];
        Assert.Equal("txt.bin", entry.GetProperty("name").GetString());
        Assert.Equal(file.Sha256, entry.GetProperty("sha256").GetString());
        Assert.Equal(file.Size, entry.GetProperty("size").GetInt64());
        Assert.Equal("test text 1.0", entry.GetProperty("generator").GetString());
        Assert.True(root.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UnixEpoch);
        Assert.Equal(0, root.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task PackageAsync_Cancelled_ThrowsAndLeavesNoHalfFile()
    {
        var batch = await PackageSamples.OfflineBatchAsync(3);
        var slow = new SlowRenderer();
        await using var services = Services(null, slow);
        using var cancel = new CancellationTokenSource();

        var packaging = services.GetRequiredService<IOutputPackager>().PackageAsync(batch, _directory, ["slow"], cancel.Token);
        await slow.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => packaging);
        var folder = Path.Combine(_directory, batch.Plan.PlanId);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task PackageAsync_UnknownFormat_NamesTheFormatsThereAre()
    {
        var batch = await PackageSamples.OfflineBatchAsync(2);
        await using var services = Services(null, new TextRenderer("txt"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => services.GetRequiredService<IOutputPackager>().PackageAsync(batch, _directory, ["docx"]));

        Assert.Contains("'docx' is not a package format; use ", error.Message, StringComparison.Ordinal);
        Assert.Contains("txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackageAsync_NoFinishedPost_SaysThereIsNothingToPackage()
    {
        var batch = await PackageSamples.NothingDoneAsync();
        await using var services = Services(null, new TextRenderer("txt"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => services.GetRequiredService<IOutputPackager>().PackageAsync(batch, _directory));

        Assert.Contains("has no finished posts", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public async Task PackageAsync_FolderCannotBeWritten_EveryFormatFailsWithTheReasonAndNothingThrows()
    {
        var batch = await PackageSamples.OfflineBatchAsync(2);
        var blocker = Path.Combine(_directory, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the output folder should be");
        await using var services = Services(null, new TextRenderer("txt"), new TextRenderer("md"));

        var result = await services.GetRequiredService<IOutputPackager>().PackageAsync(batch, blocker, ["txt", "md"]);

        Assert.Empty(result.Files);
        Assert.Null(result.ManifestPath);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Contains("cannot be written", e.Message, StringComparison.Ordinal));
        Assert.Equal("a file where the output folder should be", await File.ReadAllTextAsync(blocker));
    }

    [Theory]
    [InlineData("PrimaryColor", "blue-ish", "ContentAgent:Packaging:PrimaryColor: 'blue-ish' is not a colour")]
    [InlineData("AccentColor", "#12345", "ContentAgent:Packaging:AccentColor: '#12345' is not a colour")]
    [InlineData("LogoPath", "corrupt.png", "ContentAgent:Packaging:LogoPath: 'corrupt.png' is not a readable PNG or JPEG image")]
    [InlineData("LogoPath", "missing.png", "ContentAgent:Packaging:LogoPath: 'missing.png' cannot be read")]
    [InlineData("FontPath", "notes.ttf", "ContentAgent:Packaging:FontPath: 'notes.ttf' is not a TrueType or OpenType font")]
    public async Task PackageAsync_BadBranding_IsAClearErrorAndThePackageIsStillMade(string setting, string value, string expected)
    {
        var batch = await PackageSamples.OfflineBatchAsync(2);
        var previous = Environment.CurrentDirectory;
        await File.WriteAllBytesAsync(Path.Combine(_directory, "corrupt.png"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4]);
        await File.WriteAllTextAsync(Path.Combine(_directory, "notes.ttf"), "not a font at all");
        var path = Path.Combine(_directory, value);
        var capture = new TextRenderer("txt");
        await using var services = Services(
            o =>
            {
                switch (setting)
                {
                    case "PrimaryColor": o.PrimaryColor = value; break;
                    case "AccentColor": o.AccentColor = value; break;
                    case "LogoPath": o.LogoPath = value.EndsWith(".png", StringComparison.Ordinal) ? path : value; break;
                    default: o.FontPath = path; break;
                }
            },
            capture);

        var result = await services.GetRequiredService<IOutputPackager>().PackageAsync(batch, _directory, ["txt"]);

        var error = Assert.Single(result.Errors);
        Assert.Equal("branding", error.Source);
        Assert.Contains(expected.Replace("'corrupt.png'", $"'{path}'", StringComparison.Ordinal).Replace("'missing.png'", $"'{path}'", StringComparison.Ordinal).Replace("'notes.ttf'", $"'{path}'", StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
        Assert.Single(result.Files);
        Assert.NotNull(result.ManifestPath);
        Assert.Matches("^#[0-9A-F]{6}$", capture.Seen!.PrimaryColor);
        Assert.Equal("DejaVu Sans", capture.Seen.FontFamily);
        Assert.Equal(previous, Environment.CurrentDirectory);
    }

    [Fact]
    public async Task PackageAsync_GoodBranding_ReachesTheRenderers()
    {
        var batch = await PackageSamples.OfflineBatchAsync(2);
        var logo = Path.Combine(_directory, "logo.png");
        using (var bitmap = new SKBitmap(40, 20))
        {
            bitmap.Erase(SKColors.OrangeRed);
            await File.WriteAllBytesAsync(logo, bitmap.Encode(SKEncodedImageFormat.Png, 100).ToArray());
        }

        var capture = new TextRenderer("txt");
        await using var services = Services(
            o =>
            {
                o.AgencyName = "Northwind Agency";
                o.ClientName = "Contoso";
                o.PrimaryColor = "#0a5";
                o.AccentColor = "#123ABC";
                o.LogoPath = logo;
                o.FontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
            },
            capture);

        var result = await services.GetRequiredService<IOutputPackager>().PackageAsync(batch, _directory, ["txt"]);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var seen = capture.Seen!;
        Assert.Equal("Content strategy for Contoso", seen.Title);
        Assert.Equal("Northwind Agency", seen.AgencyName);
        Assert.Equal("#00AA55", seen.PrimaryColor);
        Assert.Equal("#123ABC", seen.AccentColor);
        Assert.Equal("image/png", seen.LogoMediaType);
        Assert.Equal("DejaVu Serif", seen.FontFamily);
        Assert.Equal(2, seen.Posts.Count);
        Assert.NotEmpty(seen.ExecutiveSummary);
    }

    [Fact]
    public async Task PackageAsync_TracesAndLogsTheRunWithItsErrors()
    {
        var batch = await PackageSamples.OfflineBatchAsync(2, "20261123-120000-trac");
        var stopped = new List<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == "ContentAgent",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (stopped)
                {
                    stopped.Add(a);
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var services = new ServiceCollection();
        services.AddSingleton<IPackageRenderer>(new TextRenderer("txt"));
        services.AddSingleton<IPackageRenderer>(new FailingRenderer("boom", halfWrite: false));
        services.AddLogging(b => b.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug)).AddFakeLogging();
        services.AddContentAgent().AddDelivery();
        await using var provider = services.BuildServiceProvider();

        using var duration = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<double>(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "ContentAgent", "contentagent.package.duration");

        await provider.GetRequiredService<IOutputPackager>().PackageAsync(batch, _directory, ["txt", "boom"]);

        var recorded = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.True(recorded.Value > 0);
        Assert.Equal("txt,boom", recorded.Tags["contentagent.package.formats"]);

        System.Diagnostics.Activity activity;
        lock (stopped)
        {
            activity = stopped.Single(a => a.OperationName == "contentagent.package" && (string?)a.GetTagItem("contentagent.plan_id") == batch.Plan.PlanId);
        }

        Assert.Equal("txt,boom", activity.GetTagItem("contentagent.package.formats"));
        Assert.Equal(1, activity.GetTagItem("contentagent.package.files"));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, activity.Status);
        var logs = provider.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, r => r.Id.Id == 101 && r.Level == Microsoft.Extensions.Logging.LogLevel.Warning && r.Message.Contains("boom failed", StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Id.Id == 100 && r.Message.Contains("1 file(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void AddDelivery_TwoRenderersForOneFormat_FailsNamingIt()
    {
        using var services = Services(null, new TextRenderer("txt"), new TextRenderer("txt"));

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IOutputPackager>());

        Assert.Contains("'txt'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Writes the title and the posts as text; remembers the document it saw.</summary>
    private sealed class TextRenderer(string format) : IPackageRenderer
    {
        public PackageDocument? Seen { get; private set; }

        public string Format => format;

        public string FileName => $"{format}.bin";

        public string Generator => "test text 1.0";

        public async Task RenderAsync(PackageDocument document, Stream output, CancellationToken cancellationToken = default)
        {
            Seen = document;
            var text = new StringBuilder(document.Title).Append('\n');
            foreach (var post in document.Posts)
            {
                text.Append(post.Index).Append(": ").Append(post.Text).Append('\n');
            }

            await output.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
        }
    }

    private sealed class FailingRenderer(string format, bool halfWrite) : IPackageRenderer
    {
        public string Format => format;

        public string FileName => $"{format}.bin";

        public string Generator => "test failing 1.0";

        public async Task RenderAsync(PackageDocument document, Stream output, CancellationToken cancellationToken = default)
        {
            if (halfWrite)
            {
                await output.WriteAsync(new byte[1000], cancellationToken);
            }

            throw new InvalidOperationException("renderer exploded");
        }
    }

    private sealed class SlowRenderer : IPackageRenderer
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Format => "slow";

        public string FileName => "slow.bin";

        public string Generator => "test slow 1.0";

        public async Task RenderAsync(PackageDocument document, Stream output, CancellationToken cancellationToken = default)
        {
            await output.WriteAsync(new byte[100], cancellationToken);
            Started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
