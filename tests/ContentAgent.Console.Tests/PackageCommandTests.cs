using System.Text.Json;

namespace ContentAgent.Tests.Console;

/// <summary>The <c>package</c> command as a real process, on a batch the console wrote.</summary>
public sealed class PackageCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-pkgcmd-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<string> BatchAsync()
    {
        var batch = await ConsoleHost.RunAsync(_directory, null, "batch", "Create 6 posts for LinkedIn and X about AI and hiring", "--db", "pkg.db");
        Assert.True(batch.ExitCode == 0, batch.Error);
        return batch.Output.Split('\n').First(l => l.StartsWith("Planned ", StringComparison.Ordinal)).Split("· plan ")[1].Trim();
    }

    [Fact]
    public async Task Package_AllFormats_WritesThreeDeliverablesAndAManifest()
    {
        var planId = await BatchAsync();

        var result = await ConsoleHost.RunAsync(_directory, null, "package", planId, "--db", "pkg.db", "--out", "client");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        var folder = Path.Combine(_directory, "client", planId);
        foreach (var name in new[] { "strategy.pdf", "deck.pptx", "summary.html", "manifest.json" })
        {
            Assert.True(new FileInfo(Path.Combine(folder, name)).Length > 0, $"{name} is missing or empty");
        }

        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "manifest.json")));
        Assert.Equal(3, manifest.RootElement.GetProperty("files").GetArrayLength());
        Assert.Contains($"Packaged 3 file(s) of batch {planId}", result.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public async Task Package_OneFormat_WritesOnlyIt()
    {
        var planId = await BatchAsync();

        var result = await ConsoleHost.RunAsync(_directory, null, "package", planId, "--db", "pkg.db", "--formats", "html");

        Assert.Equal(0, result.ExitCode);
        var folder = Path.Combine(_directory, "out", planId);
        Assert.True(File.Exists(Path.Combine(folder, "summary.html")));
        Assert.False(File.Exists(Path.Combine(folder, "strategy.pdf")));
        Assert.False(File.Exists(Path.Combine(folder, "deck.pptx")));
    }

    [Fact]
    public async Task Package_UnknownFormatOrPlan_ExitsWith2NamingWhatIsWrong()
    {
        var planId = await BatchAsync();

        var format = await ConsoleHost.RunAsync(_directory, null, "package", planId, "--db", "pkg.db", "--formats", "pdf,docx");
        var plan = await ConsoleHost.RunAsync(_directory, null, "package", "20990101-000000-dead", "--db", "pkg.db");

        Assert.Equal(2, format.ExitCode);
        Assert.Contains("'docx' is not a package format; use ", format.Error, StringComparison.Ordinal);
        Assert.Equal(2, plan.ExitCode);
        Assert.Contains("There is no batch '20990101-000000-dead'", plan.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Package_BadBranding_ExitsWith2ButStillWritesThePackage()
    {
        var planId = await BatchAsync();
        var environment = new Dictionary<string, string>
        {
            ["ContentAgent__Packaging__PrimaryColor"] = "not-a-colour",
            ["ContentAgent__Packaging__LogoPath"] = Path.Combine(_directory, "pkg.db"), // a file that is not an image
            ["ContentAgent__Packaging__ClientName"] = "Contoso",
        };

        var result = await ConsoleHost.RunAsync(_directory, environment, "package", planId, "--db", "pkg.db");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ContentAgent:Packaging:PrimaryColor: 'not-a-colour' is not a colour", result.Error, StringComparison.Ordinal);
        Assert.Contains("ContentAgent:Packaging:LogoPath", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "out", planId, "strategy.pdf")));
        Assert.True(File.Exists(Path.Combine(_directory, "out", planId, "manifest.json")));
    }
}
