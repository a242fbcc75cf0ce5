using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ContentAgent.Batches;
using ContentAgent.Delivery.Packaging;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace ContentAgent.Tests.Delivery.Packaging;

/// <summary>
/// <c>strategy.pdf</c> as real PDF clients see it: qpdf checks the structure, poppler (pdfinfo, pdffonts, pdfimages,
/// pdftotext, pdftoppm) reads the metadata, fonts, images, text and pixels. The PDFs are made once per class through
/// the packager from DI.
/// </summary>
public sealed class PdfStrategyRendererTests(PdfStrategyRendererTests.Fixture pdfs) : IClassFixture<PdfStrategyRendererTests.Fixture>
{
    private const string Primary = "#0B6E4F";
    private const string Accent = "#C2185B";

    [Fact]
    public async Task RenderAsync_FiftyPosts_PassesQpdfCheck()
    {
        var (exitCode, output) = await Tool.RunAsync("qpdf", "--check", pdfs.FiftyPosts);

        Assert.True(exitCode == 0, $"qpdf --check failed:\n{output}");
        Assert.Contains("No syntax or stream encoding errors", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_FiftyPosts_HasMetadataAndA4Pages()
    {
        var info = await Tool.InfoAsync(pdfs.FiftyPosts);

        Assert.Equal("Content strategy for Acme Robotics", info["Title"]);
        Assert.Equal("Northwind Agency", info["Author"]);
        Assert.Equal("50 posts for LinkedIn, X (Twitter), with scores and learnings", info["Subject"]);
        Assert.StartsWith("ContentAgent.Delivery", info["Creator"], StringComparison.Ordinal);
        Assert.StartsWith("SkiaSharp 3.", info["Producer"], StringComparison.Ordinal);
        Assert.Contains("(A4)", info["Page size"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(info["CreationDate"]));
    }

    [Fact]
    public async Task RenderAsync_FiftyPosts_NumbersEveryPageButTheCoverOutOfThePageCount()
    {
        var pages = await Tool.PageCountAsync(pdfs.FiftyPosts);
        var text = await Tool.PagesAsync(pdfs.FiftyPosts);

        // Cover, summary, at least two pages of table (the header is 50 rows away from the end), one section per platform, learnings.
        Assert.InRange(pages, 1 + 1 + 2 + 2 + 1, 60);
        Assert.Equal(pages, text.Count);
        Assert.DoesNotContain("Page 1 of", text[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Northwind Agency\n", text[0].Split("PREPARED BY")[0], StringComparison.Ordinal); // no running header on the cover
        for (var page = 2; page <= pages; page++)
        {
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Page {page} of {pages}"), text[page - 1], StringComparison.Ordinal);
            Assert.StartsWith("Northwind Agency", text[page - 1], StringComparison.Ordinal);
            Assert.Contains("Content strategy for Acme Robotics", text[page - 1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RenderAsync_FiftyPosts_TextHoldsEveryPostInFull()
    {
        var text = Squeeze(await Tool.TextAsync(pdfs.FiftyPosts, withoutPageChrome: true));

        Assert.Equal(50, pdfs.FiftyPostBatch.Posts.Count(static p => p.Status == PostStatus.Done));
        Assert.All(pdfs.FiftyPostBatch.Posts, post => Assert.Contains(Squeeze(post.Text!), text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderAsync_FiftyPosts_TableRepeatsItsHeaderOnEveryPageItSpans()
    {
        var pages = await Tool.PagesAsync(pdfs.FiftyPosts);

        var tablePages = pages.Select((text, index) => (text, index)).Where(static p => Regex.IsMatch(p.text, @"^\s*#\s+Platform\s+Topic\s+Angle\s+Score\s*$", RegexOptions.Multiline)).ToList();
        Assert.True(tablePages.Count >= 2, "the 50-row table should span at least two pages");
        Assert.Equal(Enumerable.Range(tablePages[0].index, tablePages.Count), tablePages.Select(static p => p.index));
        var rows = string.Join("\n", tablePages.Select(static p => p.text));
        Assert.All(pdfs.FiftyPostBatch.Posts, post => Assert.Contains(post.Score!.Overall.ToString("F1", CultureInfo.InvariantCulture), rows, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderAsync_FiftyPosts_HasSectionsChartAndLearnings()
    {
        var text = await Tool.TextAsync(pdfs.FiftyPosts);

        foreach (var heading in (string[])["Executive summary", "Scores by post", "All posts", "LinkedIn", "X (Twitter)", "Learnings"])
        {
            Assert.Contains(heading, text, StringComparison.Ordinal);
        }

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Average {pdfs.FiftyPostBatch.AverageScore:F1}"), text, StringComparison.Ordinal);
        Assert.All(pdfs.FiftyPostBatch.Learnings, learning => Assert.Contains(Squeeze(learning.Text), Squeeze(text), StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderAsync_FiftyPosts_EmbedsSubsetFontsAndStaysSmall()
    {
        var fonts = await Tool.FontsAsync(pdfs.FiftyPosts);

        var dejaVu = fonts.Where(static f => f.Name.EndsWith("+DejaVuSans", StringComparison.Ordinal) || f.Name.EndsWith("+DejaVuSans-Bold", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, dejaVu.Count);
        Assert.All(fonts, f => Assert.True(f.Embedded, $"{f.Name} is not embedded"));
        Assert.All(dejaVu, f => Assert.True(f.Subset, $"{f.Name} is not a subset"));

        // DejaVu Sans alone is 740 KB (Bold 690 KB): the file is small only when the fonts really are cut down.
        Assert.InRange(new FileInfo(pdfs.FiftyPosts).Length, 10_000, 400_000);
    }

    [Fact]
    public async Task RenderAsync_SameBatchTwice_HasTheSamePagesAndText()
    {
        var again = await pdfs.RenderAsync(pdfs.FiftyPostBatch, "again", Fixture.Branding);

        Assert.Equal(await Tool.PageCountAsync(pdfs.FiftyPosts), await Tool.PageCountAsync(again));
        Assert.Equal(await Tool.TextAsync(pdfs.FiftyPosts), await Tool.TextAsync(again));
    }

    [Fact]
    public async Task RenderAsync_HardCases_PassesQpdfCheck()
    {
        var (exitCode, output) = await Tool.RunAsync("qpdf", "--check", pdfs.HardCases);

        Assert.True(exitCode == 0, $"qpdf --check failed:\n{output}");
    }

    [Fact]
    public async Task RenderAsync_LongPost_FlowsAcrossPagesToItsEnd()
    {
        var pages = await Tool.PagesAsync(pdfs.HardCases, withoutPageChrome: true);

        var start = pages.FindIndex(static p => p.Contains("Sentence 1 of a very long post", StringComparison.Ordinal));
        var middle = pages.FindIndex(static p => Squeeze(p).Contains(Squeeze("Sentence 60 of a very long post explains one more step"), StringComparison.Ordinal));
        var end = pages.FindIndex(static p => p.Contains("END-OF-LONG-POST", StringComparison.Ordinal));
        Assert.True(start >= 0 && middle > start && end > middle, $"start page {start}, middle page {middle}, end page {end}");
        var text = Squeeze(string.Concat(pages));
        Assert.Contains(Squeeze(PackageSamples.LongText(10_000)), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_HardCases_CjkEmojiAndMarkupComeOutAsTyped()
    {
        var text = Squeeze(await Tool.TextAsync(pdfs.HardCases));

        Assert.Contains(Squeeze(PackageSamples.Chinese), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze(PackageSamples.Japanese), text, StringComparison.Ordinal);
        Assert.Contains(Squeeze(PackageSamples.Emoji), text, StringComparison.Ordinal); // the words around the emoji, and the emoji
        Assert.Contains(Squeeze(PackageSamples.Markup), text, StringComparison.Ordinal); // drawn as characters, not interpreted
        Assert.Contains(Squeeze("AI <i>and</i> \"trust\""), text, StringComparison.Ordinal);
        Assert.DoesNotContain("the provider answered 503", text, StringComparison.Ordinal); // the failed post is left out
    }

    [Fact]
    public async Task RenderAsync_HardCases_CjkAndEmojiUseSystemFontsInsteadOfMissingGlyphs()
    {
        var pages = await Tool.PagesAsync(pdfs.HardCases);
        var page = pages.FindIndex(static p => Squeeze(p).Contains(Squeeze(PackageSamples.Chinese), StringComparison.Ordinal)) + 1;
        var emojiPage = pages.FindIndex(static p => p.Contains("🚀", StringComparison.Ordinal)) + 1;

        // DejaVu Sans has neither: Noto Sans CJK (CFF outlines) and Noto Color Emoji (bitmaps) are drawn by Skia as Type 3 glyphs.
        Assert.Contains(await Tool.FontsAsync(pdfs.HardCases, page), static f => f.Type == "Type 3");
        Assert.Contains(await Tool.FontsAsync(pdfs.HardCases, emojiPage), static f => f.Type == "Type 3");
    }

    [Fact]
    public async Task RenderAsync_ArabicAndHebrew_AreShapedRightToLeftWithAFontThatHasThem()
    {
        var pages = await Tool.PagesAsync(pdfs.HardCases);
        var page = pages.FindIndex(static p => p.Contains("בינה", StringComparison.Ordinal)) + 1;
        Assert.True(page > 0, "the Hebrew text was not found");

        // pdftotext reads the right-to-left runs back in logical order: Hebrew exactly; Arabic word by word, except the one
        // word with a lam-alef ligature, which poppler returns with the ligature's two letters swapped.
        var text = Squeeze(pages[page - 1]);
        Assert.Contains(Squeeze(PackageSamples.Hebrew.TrimEnd('.')), text, StringComparison.Ordinal);
        foreach (var word in (string[])["الذكاء", "يغير", "طريقة", "عملنا", "كل", "يوم"])
        {
            Assert.Contains(word, text, StringComparison.Ordinal);
        }

        Assert.Contains(await Tool.FontsAsync(pdfs.HardCases, page), static f => f.Name.EndsWith("+DejaVuSans", StringComparison.Ordinal) && f.Embedded);
    }

    [Fact]
    public async Task RenderAsync_Branding_EmbedsTheCustomFontAndTheLogo()
    {
        var fonts = await Tool.FontsAsync(pdfs.Branded);
        var images = await Tool.RunCheckedAsync("pdfimages", "-list", pdfs.Branded);

        Assert.Contains(fonts, static f => f.Name.EndsWith("+DejaVuSerif", StringComparison.Ordinal) && f.Embedded && f.Subset);
        Assert.Contains(fonts, static f => f.Name.EndsWith("+DejaVuSerif-Bold", StringComparison.Ordinal)); // the family's bold, from fonts-dejavu
        Assert.DoesNotContain(fonts, static f => f.Name.Contains("DejaVuSans", StringComparison.Ordinal));
        var logos = images.Split('\n').Skip(2).Where(static l => Regex.IsMatch(l, @"^\s*\d+\s+\d+\s+image\s+64\s+32\s")).ToList();
        Assert.NotEmpty(logos);
        Assert.Contains(logos, static l => l.TrimStart().StartsWith("1 ", StringComparison.Ordinal)); // on the cover
        Assert.Contains(logos, static l => l.TrimStart().StartsWith("2 ", StringComparison.Ordinal)); // and in the page header
    }

    [Fact]
    public async Task RenderAsync_Branding_PaintsTheCoverInTheBrandColours()
    {
        using var cover = await Tool.RasterizeAsync(pdfs.Branded, page: 1, dpi: 36);

        // At 36 dpi a point is half a pixel: the primary band fills the top, the accent bar runs at 470-478 pt.
        AssertColor(Primary, cover.GetPixel(cover.Width - 10, 10));
        AssertColor(Accent, cover.GetPixel(cover.Width / 2, 237));
        AssertColor("#FFFFFF", cover.GetPixel(cover.Width - 10, cover.Height - 10));
    }

    [Fact]
    public async Task RenderAsync_DefaultBranding_UsesTheDefaultColoursAndDejaVuSans()
    {
        using var cover = await Tool.RasterizeAsync(pdfs.HardCases, page: 1, dpi: 36);

        AssertColor("#1F3A5F", cover.GetPixel(cover.Width - 10, 10));
        AssertColor("#E07A1F", cover.GetPixel(cover.Width / 2, 237));
        Assert.Contains(await Tool.FontsAsync(pdfs.HardCases), static f => f.Name.EndsWith("+DejaVuSans-Bold", StringComparison.Ordinal));
    }

    [Fact]
    public void AddDelivery_RegistersThePdfRendererOnce()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddContentAgent().AddDelivery().Services.AddContentAgent().AddDelivery();
        using var provider = services.BuildServiceProvider();

        var renderer = Assert.Single(provider.GetServices<IPackageRenderer>(), static r => r.Format == "pdf");
        Assert.Equal("strategy.pdf", renderer.FileName);
        Assert.Matches(@"^SkiaSharp 3\.\d+\.\d+$", renderer.Generator);
        Assert.Contains("pdf", provider.GetRequiredService<IOutputPackager>().Formats);
    }

    [Fact]
    public async Task PackageAsync_Pdf_ListsTheFileInTheManifest()
    {
        var manifest = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(pdfs.FiftyPosts)!, "manifest.json"));

        Assert.Contains("\"name\": \"strategy.pdf\"", manifest, StringComparison.Ordinal);
        Assert.Contains("\"generator\": \"SkiaSharp 3.", manifest, StringComparison.Ordinal);
    }

    /// <summary>Text without any whitespace or bidi marks, so line breaks and pdftotext's spacing do not matter.</summary>
    private static string Squeeze(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && c is not ('\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static void AssertColor(string expected, SKColor actual)
    {
        var color = SKColor.Parse(expected);
        var distance = Math.Abs(color.Red - actual.Red) + Math.Abs(color.Green - actual.Green) + Math.Abs(color.Blue - actual.Blue);
        Assert.True(distance <= 24, $"expected {expected}, found {actual}");
    }

    /// <summary>The PDFs the tests read, made once: 50 posts branded, the hard cases with the defaults, a custom font and logo.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-pdf-").FullName;

        public static Action<PackagingOptions> Branding { get; } = static o =>
        {
            o.AgencyName = "Northwind Agency";
            o.ClientName = "Acme Robotics";
        };

        public BatchResult FiftyPostBatch { get; private set; } = null!;

        public string FiftyPosts { get; private set; } = null!;

        public string HardCases { get; private set; } = null!;

        public string Branded { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            FiftyPostBatch = await PackageSamples.OfflineBatchAsync(50);
            FiftyPosts = await RenderAsync(FiftyPostBatch, "fifty", Branding);
            HardCases = await RenderAsync(await PackageSamples.HardCasesAsync(), "hard", branding: null);

            var logo = Path.Combine(_directory, "logo.png");
            using (var bitmap = new SKBitmap(64, 32))
            {
                using (var canvas = new SKCanvas(bitmap))
                using (var paint = new SKPaint { Color = SKColor.Parse(Accent), IsAntialias = true })
                {
                    canvas.Clear(SKColor.Parse("#FFC107"));
                    canvas.DrawCircle(16, 16, 12, paint);
                }

                await using var file = File.Create(logo);
                Assert.True(bitmap.Encode(file, SKEncodedImageFormat.Png, 100));
            }

            Branded = await RenderAsync(await PackageSamples.OfflineBatchAsync(6, "20261123-120000-brand"), "branded", o =>
            {
                Branding(o);
                o.PrimaryColor = Primary;
                o.AccentColor = Accent;
                o.LogoPath = logo;
                o.FontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
            });
        }

        public Task DisposeAsync()
        {
            Directory.Delete(_directory, recursive: true);
            return Task.CompletedTask;
        }

        public async Task<string> RenderAsync(BatchResult batch, string folder, Action<PackagingOptions>? branding)
        {
            var services = new ServiceCollection().AddLogging();
            var builder = services.AddContentAgent().AddDelivery();
            if (branding is not null)
            {
                builder.ConfigurePackaging(branding);
            }

            await using var provider = services.BuildServiceProvider();
            var result = await provider.GetRequiredService<IOutputPackager>().PackageAsync(batch, Path.Combine(_directory, folder), ["pdf"]);

            Assert.Empty(result.Errors);
            var file = Assert.Single(result.Files);
            Assert.Equal("strategy.pdf", Path.GetFileName(file.Path));
            return file.Path;
        }
    }

    /// <summary>Runs qpdf and poppler's tools as processes, with a timeout; a missing tool fails the test with how to install it.</summary>
    private static class Tool
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

        public static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] arguments)
        {
            var (exitCode, output, error) = await ExternalTool.RunAsync(tool, Timeout, arguments);
            return (exitCode, output + error);
        }

        public static async Task<string> RunCheckedAsync(string tool, params string[] arguments)
        {
            var (exitCode, output) = await RunAsync(tool, arguments);
            Assert.True(exitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
            return output;
        }

        public static async Task<Dictionary<string, string>> InfoAsync(string pdf)
        {
            var output = await RunCheckedAsync("pdfinfo", pdf);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(static l => l.Split(':', 2))
                .Where(static p => p.Length == 2)
                .ToDictionary(static p => p[0].Trim(), static p => p[1].Trim());
        }

        public static async Task<int> PageCountAsync(string pdf) => int.Parse((await InfoAsync(pdf))["Pages"], CultureInfo.InvariantCulture);

        public static async Task<string> TextAsync(string pdf, bool withoutPageChrome = false) =>
            string.Join("\n", await PagesAsync(pdf, withoutPageChrome));

        /// <summary>
        /// The text of each page in physical layout (<c>-layout</c>: lines as drawn, so an emoji stays on its line);
        /// optionally without the running header and footer, so text that flows on to the next page reads on.
        /// </summary>
        public static async Task<List<string>> PagesAsync(string pdf, bool withoutPageChrome = false)
        {
            var output = await RunCheckedAsync("pdftotext", "-layout", "-enc", "UTF-8", pdf, "-");
            var pages = output.Split('\f').ToList();
            if (pages.Count > 0 && string.IsNullOrWhiteSpace(pages[^1]))
            {
                pages.RemoveAt(pages.Count - 1);
            }

            if (!withoutPageChrome)
            {
                return pages;
            }

            var info = await InfoAsync(pdf);
            var header = new Regex($@"^\s*{Regex.Escape(info["Author"])}\s+{Regex.Escape(info["Title"])}\s*$");
            var footer = new Regex(@"^\s*\d{1,2} [A-Z][a-z]+ \d{4}\s+·\s+\S+\s+Page \d+ of \d+\s*$");
            return [.. pages.Select((page, index) => index == 0 ? page : string.Join("\n", page.Split('\n').Where(line => !header.IsMatch(line) && !footer.IsMatch(line))))];
        }

        public static async Task<List<PdfFont>> FontsAsync(string pdf, int? page = null)
        {
            string[] arguments = page is { } p ? ["-f", p.ToString(CultureInfo.InvariantCulture), "-l", p.ToString(CultureInfo.InvariantCulture), pdf] : [pdf];
            var output = await RunCheckedAsync("pdffonts", arguments);

            // name, type (may hold spaces), encoding, emb, sub, uni, object, generation
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).Select(static line =>
            {
                var match = Regex.Match(line, @"^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$");
                Assert.True(match.Success, $"unexpected pdffonts line: {line}");
                return new PdfFont(match.Groups[1].Value, match.Groups[2].Value, match.Groups[4].Value == "yes", match.Groups[5].Value == "yes");
            })];
        }

        public static async Task<SKBitmap> RasterizeAsync(string pdf, int page, int dpi)
        {
            var prefix = Path.Combine(Path.GetDirectoryName(pdf)!, $"page-{page}-{dpi}");
            var pageText = page.ToString(CultureInfo.InvariantCulture);
            await RunCheckedAsync("pdftoppm", "-r", dpi.ToString(CultureInfo.InvariantCulture), "-f", pageText, "-l", pageText, "-png", "-singlefile", pdf, prefix);
            return SKBitmap.Decode(prefix + ".png") ?? throw new InvalidOperationException("pdftoppm wrote no readable PNG.");
        }
    }

    private sealed record PdfFont(string Name, string Type, bool Embedded, bool Subset);
}
