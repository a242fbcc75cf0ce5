using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContentAgent.Batches;
using ContentAgent.Delivery.Packaging;
using ContentAgent.Delivery.Packaging.Html;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace ContentAgent.Tests.Delivery.Packaging;

public sealed partial class HtmlSummaryRendererTests : IDisposable
{
    /// <summary>Where the Chromium tests leave their screenshots and PDFs, to be looked at.</summary>
    private static readonly string Screenshots = Path.Combine(Path.GetTempPath(), "contentagent-html");

    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-html-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AddDelivery_RegistersTheHtmlRenderer()
    {
        using var services = Services();

        var renderer = Assert.Single(services.GetServices<IPackageRenderer>(), r => r.Format == "html");
        Assert.Equal("summary.html", renderer.FileName);
        Assert.Matches(@"^ContentAgent\.Delivery \d+\.\d+\.\d+$", renderer.Generator);
        Assert.Contains("html", services.GetRequiredService<IOutputPackager>().Formats);
    }

    [Fact]
    public async Task PackageAsync_Html_IsSelfContainedWithoutScripts()
    {
        var html = await File.ReadAllTextAsync(await RenderAsync(await PackageSamples.HardCasesAsync()));

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", Tags(html)); // no event handler attribute in any tag
        Assert.Empty(ExternalReferences().Matches(html)); // every src/href is an anchor in the page or a data: URI
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.Contains("white-space:pre-wrap", html, StringComparison.Ordinal);
        Assert.Contains("@media (max-width:40rem)", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackageAsync_Html_IsAccessible()
    {
        var html = await File.ReadAllTextAsync(await RenderAsync(await PackageSamples.HardCasesAsync(), o => o.LogoPath = WriteLogo(_directory)));

        var levels = Headings().Matches(html).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(1, levels[0]);
        Assert.Single(levels, 1);
        Assert.All(levels.Zip(levels.Skip(1)), pair => Assert.True(pair.Second <= pair.First + 1, $"h{pair.First} is followed by h{pair.Second}"));
        Assert.Contains("<caption>The 11 finished posts, with their overall score out of 100</caption>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">Platform</th><th scope=\"col\">Topic and angle</th>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\"><a href=\"#post-1\">1</a></th>", html, StringComparison.Ordinal);
        Assert.Matches("<img class=\"logo\" src=\"data:image/png;base64,[A-Za-z0-9+/=]+\" alt=\"ContentAgent logo\">", html);
        Assert.Matches("<svg class=\"chart\"[^>]* role=\"img\" aria-label=\"Bar chart of the overall score [^\"]+\">\n<title>Bar chart", html);
        Assert.Contains("<nav class=\"toc\" aria-label=\"Contents\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackageAsync_Html_EncodesEverythingPeopleAndModelsWrote()
    {
        var html = await File.ReadAllTextAsync(await RenderAsync(await PackageSamples.HardCasesAsync(), o =>
        {
            o.AgencyName = "Bold & \"Loud\" <Agency>";
            o.ClientName = "O'Brien <b>Bakery</b>";
            o.LogoPath = WriteLogo(_directory);
        }));

        Assert.Contains("&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;&lt;b&gt;bold claim&lt;/b&gt; &amp; &quot;quotes&quot; &lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("AI &lt;i&gt;and&lt;/i&gt; &quot;trust&quot;", html, StringComparison.Ordinal); // a topic: table, heading, summary
        Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
        Assert.Contains("alt=\"Bold &amp; &quot;Loud&quot; &lt;Agency&gt; logo\"", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"author\" content=\"Bold &amp; &quot;Loud&quot; &lt;Agency&gt;\">", html, StringComparison.Ordinal);
        Assert.Contains("Prepared for <bdi>O&#x27;Brien &lt;b&gt;Bakery&lt;/b&gt;</bdi>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<Agency>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackageAsync_Html_KeepsScriptsDirectionAndLineBreaksOfPosts()
    {
        var html = await File.ReadAllTextAsync(await RenderAsync(await PackageSamples.HardCasesAsync()));

        Assert.Contains($"<div class=\"post-text\" dir=\"auto\">{PackageSamples.Arabic} {PackageSamples.Hebrew}</div>", html, StringComparison.Ordinal);
        Assert.Contains($"<div class=\"post-text\" dir=\"auto\">{PackageSamples.Chinese} {PackageSamples.Japanese}</div>", html, StringComparison.Ordinal);
        Assert.Contains("Sentence 6 of a very long post explains one more step of the plan in plain words. \n\nSentence 7", html, StringComparison.Ordinal);
        Assert.Contains("END-OF-LONG-POST</div>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackageAsync_Html_UsesTheBrandColours()
    {
        var html = await File.ReadAllTextAsync(await RenderAsync(await PackageSamples.OfflineBatchAsync(6), o =>
        {
            o.PrimaryColor = "#123456";
            o.AccentColor = "#9C2F00";
        }));

        Assert.Contains(":root{--brand:#123456;--on-brand:#FFFFFF;--brand-text:#123456;--accent:#9C2F00;--accent-text:#9C2F00;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackageAsync_Html_DarkensATooLightBrandColourForText()
    {
        var html = await File.ReadAllTextAsync(await RenderAsync(await PackageSamples.OfflineBatchAsync(6), o =>
        {
            o.PrimaryColor = "#FFE066";
            o.AccentColor = "#7FDBFF";
        }));

        var variables = CssVariables().Matches(html).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal("#FFE066", variables["brand"]); // the cover keeps the real brand colour...
        Assert.Equal(ColorContrast.Black, variables["on-brand"]); // ...with black text on it
        Assert.NotEqual("#FFE066", variables["brand-text"]);
        Assert.True(ColorContrast.Ratio(variables["brand-text"], ColorContrast.White) >= 4.5, variables["brand-text"]);
        Assert.True(ColorContrast.Ratio(variables["accent-text"], ColorContrast.White) >= 4.5, variables["accent-text"]);
    }

    [Fact]
    public async Task PackageAsync_Html_DefaultFont_NamesSystemFontsInsteadOfEmbeddingDejaVu()
    {
        var path = await RenderAsync(await PackageSamples.HardCasesAsync());
        var html = await File.ReadAllTextAsync(path);

        Assert.DoesNotContain("@font-face", html, StringComparison.Ordinal);
        Assert.Contains("--font:system-ui,", html, StringComparison.Ordinal);
        Assert.InRange(new FileInfo(path).Length, 1, 200_000);
    }

    [Fact]
    public async Task PackageAsync_Html_CustomFont_IsEmbeddedAsADataUri()
    {
        var html = await File.ReadAllTextAsync(await RenderAsync(await PackageSamples.OfflineBatchAsync(3), o => o.FontPath = CustomFont()));

        Assert.Matches("@font-face\\{font-family:\"ContentAgent Brand\";font-display:swap;src:url\\(data:font/ttf;base64,[A-Za-z0-9+/=]{1000,}\\)\\}", html);
        Assert.Contains("--font:\"ContentAgent Brand\", system-ui,", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_Cancelled_Throws()
    {
        var document = new PackageDocument(await PackageSamples.OfflineBatchAsync(3), await BrandAssets.LoadAsync(new PackagingOptions(), [], default), DateTimeOffset.UnixEpoch);
        using var output = new MemoryStream();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new HtmlSummaryRenderer().RenderAsync(document, output, new CancellationToken(canceled: true)));
        Assert.Equal(0, output.Length);
    }

    [Theory]
    [InlineData("#FFFFFF", "#000000", 21.0)]
    [InlineData("#000000", "#FFFFFF", 21.0)]
    [InlineData("#777777", "#FFFFFF", 4.48)]
    [InlineData("#767676", "#FFFFFF", 4.54)]
    [InlineData("#1F3A5F", "#1F3A5F", 1.0)]
    public void ColorContrast_Ratio_MatchesWcag(string first, string second, double expected) =>
        Assert.Equal(expected, ColorContrast.Ratio(first, second), precision: 2);

    [Theory]
    [InlineData("#FFE066")]
    [InlineData("#FFFFFF")]
    [InlineData("#7FDBFF")]
    [InlineData("#E07A1F")]
    [InlineData("#FF0000")]
    [InlineData("#00FF00")]
    [InlineData("#777777")]
    public void ColorContrast_Readable_DarkensJustEnoughForText(string color)
    {
        var readable = ColorContrast.Readable(color, ColorContrast.White);

        Assert.True(ColorContrast.Ratio(readable, ColorContrast.White) >= ColorContrast.MinimumTextContrast, $"{color} -> {readable}");
        Assert.NotEqual(color, readable);
        Assert.True(ColorContrast.Luminance(readable) < ColorContrast.Luminance(color));

        // Just enough: one step less dark would not reach 4.5:1 (so the brand's hue is kept as much as it can be).
        var lighter = ColorContrast.Mix(readable, color, 0.05);
        Assert.True(lighter == readable || ColorContrast.Ratio(lighter, ColorContrast.White) < ColorContrast.MinimumTextContrast + 0.2, $"{color} -> {readable} could be lighter ({lighter})");
    }

    [Theory]
    [InlineData("#1F3A5F")]
    [InlineData("#123456")]
    [InlineData("#000000")]
    public void ColorContrast_Readable_KeepsAColourThatIsAlreadyReadable(string color) =>
        Assert.Equal(color, ColorContrast.Readable(color, ColorContrast.White));

    [Fact]
    public void ColorContrast_Readable_OnADarkBackground_Lightens()
    {
        var readable = ColorContrast.Readable("#1F3A5F", "#101010");

        Assert.True(ColorContrast.Ratio(readable, "#101010") >= 4.5);
        Assert.True(ColorContrast.Luminance(readable) > ColorContrast.Luminance("#1F3A5F"));
    }

    [Fact]
    public void ColorContrast_TextOn_ReachesAaOnEveryColour()
    {
        Assert.Equal(ColorContrast.White, ColorContrast.TextOn("#1F3A5F"));
        Assert.Equal(ColorContrast.Black, ColorContrast.TextOn("#FFE066"));
        for (var grey = 0; grey <= 255; grey += 5)
        {
            foreach (var color in (string[])[Hex(grey, grey, grey), Hex(grey, 0, 0), Hex(0, grey, 0), Hex(0, 0, grey), Hex(255, grey, 0), Hex(grey, 128, 255)])
            {
                Assert.True(ColorContrast.Ratio(ColorContrast.TextOn(color), color) >= 4.5, color);
                Assert.True(ColorContrast.Ratio(ColorContrast.Readable(color, ColorContrast.White), ColorContrast.White) >= 4.5, color);
            }
        }

        static string Hex(int r, int g, int b) => string.Create(CultureInfo.InvariantCulture, $"#{r:X2}{g:X2}{b:X2}");
    }

    /// <summary>
    /// The hard cases, a light brand colour, a logo and a custom font, in a real browser: no console error or warning (a CSP
    /// violation is one), no request but the page, no script run, every post's text shown, right-to-left text right to left,
    /// nothing wider than a phone. Screenshots and a PDF are left in /tmp/contentagent-html to be looked at.
    /// </summary>
    [Fact]
    public async Task Summary_InChromium_HardCases_LoadsCleanlyAndShowsEveryPost()
    {
        var batch = await PackageSamples.HardCasesAsync();
        var path = await RenderAsync(batch, o =>
        {
            o.AgencyName = "Northwind <Studio> & \"Partners\"";
            o.ClientName = "O'Brien Bakery";
            o.PrimaryColor = "#FFD23F";
            o.AccentColor = "#3FA7D6";
            o.LogoPath = WriteLogo(_directory);
            o.FontPath = CustomFont();
        });

        await using var chromium = await Chromium.StartAsync();
        var url = new Uri(path);
        await chromium.LoadAsync(url);

        Assert.Equal(0, (await chromium.EvaluateAsync("document.querySelectorAll('script').length")).GetInt32());
        Assert.Equal(0, (await chromium.EvaluateAsync("document.querySelectorAll('img[onerror]').length")).GetInt32());
        Assert.Equal(1, (await chromium.EvaluateAsync("document.querySelectorAll('img').length")).GetInt32()); // the logo, not the injected one
        Assert.True((await chromium.EvaluateAsync("document.querySelector('img.logo').naturalWidth")).GetInt32() > 0, "the logo did not load");
        Assert.True((await chromium.EvaluateAsync("document.fonts.check('16px \"ContentAgent Brand\"')")).GetBoolean(), "the custom font did not load");
        Assert.Equal("rtl", (await chromium.EvaluateAsync($"getComputedStyle([...document.querySelectorAll('.post-text')].find(e => e.textContent.startsWith('{PackageSamples.Arabic[..10]}'))).direction")).GetString());
        Assert.Equal(1, (await chromium.EvaluateAsync("document.querySelectorAll('h1').length")).GetInt32());

        var text = Normalize((await chromium.EvaluateAsync("document.body.innerText")).GetString()!);
        Assert.Contains(Normalize(PackageSamples.Markup), text, StringComparison.Ordinal);
        Assert.Contains("AI <i>and</i> \"trust\"", text, StringComparison.Ordinal);
        Assert.Contains("Northwind <Studio> & \"Partners\"", text, StringComparison.Ordinal);
        var done = batch.Posts.Where(static p => p.Status == PostStatus.Done).ToList();
        Assert.Equal(11, done.Count);
        Assert.All(done, post => Assert.Contains(Normalize(post.Text!), text, StringComparison.Ordinal));
        Assert.True((await chromium.EvaluateAsync($"document.getElementById('post-{batch.Posts[^1].Index}') === null")).GetBoolean(), "the failed post is shown");

        Directory.CreateDirectory(Screenshots);
        await AssertFitsAsync(chromium, 1280, 900, "desktop");
        await chromium.ScreenshotAsync(Path.Combine(Screenshots, "hard-desktop.png"));
        await AssertReadableAsync(chromium);
        await AssertFitsAsync(chromium, 390, 844, "mobile");
        await chromium.ScreenshotAsync(Path.Combine(Screenshots, "hard-mobile.png"));
        await chromium.SendAsync("Emulation.clearDeviceMetricsOverride");
        var pdf = Path.Combine(Screenshots, "hard-print.pdf");
        await chromium.PrintToPdfAsync(pdf);
        Assert.True((await File.ReadAllBytesAsync(pdf)).AsSpan().StartsWith("%PDF-"u8));

        AssertNoProblems(chromium, url);
    }

    /// <summary>Fifty real offline posts in the default branding: loads cleanly, every post shown, fits desktop and phone.</summary>
    [Fact]
    public async Task Summary_InChromium_FiftyPosts_LoadsCleanlyAndShowsEveryPost()
    {
        var batch = await PackageSamples.OfflineBatchAsync(50);
        var path = await RenderAsync(batch, o => o.ClientName = "Contoso");

        await using var chromium = await Chromium.StartAsync();
        var url = new Uri(path);
        await chromium.LoadAsync(url);

        var text = Normalize((await chromium.EvaluateAsync("document.body.innerText")).GetString()!);
        Assert.Equal(50, batch.Succeeded);
        Assert.All(batch.Posts, post => Assert.Contains(Normalize(post.Text!), text, StringComparison.Ordinal));
        Assert.Equal(50, (await chromium.EvaluateAsync("document.querySelectorAll('article.post').length")).GetInt32());
        Assert.Equal(50, (await chromium.EvaluateAsync("document.querySelectorAll('.posts-table tbody tr').length")).GetInt32());
        Assert.Equal(50, (await chromium.EvaluateAsync("document.querySelectorAll('svg.chart rect.bar').length")).GetInt32());

        Directory.CreateDirectory(Screenshots);
        await AssertFitsAsync(chromium, 1280, 900, "desktop");
        await chromium.ScreenshotAsync(Path.Combine(Screenshots, "fifty-desktop.png"));
        await AssertReadableAsync(chromium);
        await AssertFitsAsync(chromium, 390, 844, "mobile");
        await chromium.ScreenshotAsync(Path.Combine(Screenshots, "fifty-mobile.png"));
        await chromium.SendAsync("Emulation.clearDeviceMetricsOverride");
        await chromium.PrintToPdfAsync(Path.Combine(Screenshots, "fifty-print.pdf"));

        AssertNoProblems(chromium, url);
    }

    private static async Task AssertFitsAsync(Chromium chromium, int width, int height, string name)
    {
        await chromium.SetViewportAsync(width, height, mobile: width < 600);
        var overflow = (await chromium.EvaluateAsync("""
            JSON.stringify({ page: document.documentElement.scrollWidth, viewport: window.innerWidth,
              wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap')).slice(0, 5).map(e => e.tagName + '.' + e.className),
              scrolled: [...document.querySelectorAll('.table-wrap')].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.firstElementChild.className) })
            """)).GetString()!;
        using var figures = JsonDocument.Parse(overflow);
        var root = figures.RootElement;
        Assert.True(root.GetProperty("page").GetInt32() <= root.GetProperty("viewport").GetInt32(), $"{name}: the page is wider than the viewport: {overflow}");
        Assert.True(root.GetProperty("wide").GetArrayLength() == 0, $"{name}: elements stick out: {overflow}");
        Assert.True(root.GetProperty("scrolled").GetArrayLength() == 0, $"{name}: a table needs scrolling: {overflow}");
    }

    /// <summary>Every element with text reaches 4.5:1 against the background it is drawn on (brand colours included).</summary>
    private static async Task AssertReadableAsync(Chromium chromium)
    {
        var low = (await chromium.EvaluateAsync("""
            (() => {
              const parse = c => { const p = c.match(/rgba?\(([^)]+)\)/)[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
              const luminance = c => [c.r, c.g, c.b].map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
              const background = e => { for (; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c.a > 0) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
              const low = [];
              for (const e of document.querySelectorAll('body *')) {
                if (e.closest('svg') || ![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
                const style = getComputedStyle(e);
                const back = background(e);
                const [a, b] = [luminance(parse(style.color)), luminance(back)];
                const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                if (ratio < 4.5) low.push(`${e.tagName}.${e.className} '${e.textContent.trim().slice(0, 30)}' ${style.color} on rgb(${back.r}, ${back.g}, ${back.b}): ${ratio.toFixed(2)}`);
              }
              return JSON.stringify(low.slice(0, 10));
            })()
            """)).GetString()!;
        Assert.True(low == "[]", $"text below 4.5:1 contrast: {low}");
    }

    private static void AssertNoProblems(Chromium chromium, Uri page)
    {
        var events = chromium.Events;
        var problems = events.SelectMany(static e => e.Method switch
        {
            "Runtime.consoleAPICalled" when e.Params.GetProperty("type").GetString() is "error" or "warning" or "assert" => [$"console: {e.Params}"],
            "Runtime.exceptionThrown" => [$"exception: {e.Params}"],
            "Log.entryAdded" when e.Params.GetProperty("entry").GetProperty("level").GetString() is "error" or "warning" => [$"log: {e.Params}"],
            _ => Array.Empty<string>(),
        }).ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));

        var requests = events.Where(static e => e.Method == "Network.requestWillBeSent")
            .Select(static e => e.Params.GetProperty("request").GetProperty("url").GetString()!)
            .Where(static u => !u.StartsWith("data:", StringComparison.Ordinal))
            .ToList();
        Assert.Equal([page.AbsoluteUri], requests);
        Assert.DoesNotContain(events, static e => e.Method == "Page.javascriptDialogOpening");
    }

    private async Task<string> RenderAsync(BatchResult batch, Action<PackagingOptions>? branding = null)
    {
        await using var services = Services(branding);
        var result = await services.GetRequiredService<IOutputPackager>().PackageAsync(batch, _directory, ["html"]);

        Assert.Empty(result.Errors);
        var file = Assert.Single(result.Files);
        Assert.Equal("html", file.Format);
        Assert.Equal("summary.html", Path.GetFileName(file.Path));
        return file.Path;
    }

    /// <summary>Like <see cref="PackageSamples.Services"/>, with logging registered (this branch's packager requires a logger).</summary>
    private static ServiceProvider Services(Action<PackagingOptions>? branding = null)
    {
        var services = new ServiceCollection().AddLogging();
        var builder = services.AddContentAgent().AddDelivery();
        if (branding is not null)
        {
            builder.ConfigurePackaging(branding);
        }

        return services.BuildServiceProvider();
    }

    /// <summary>Writes a small PNG logo (a coloured mark with a white bar) and returns its path.</summary>
    private static string WriteLogo(string directory)
    {
        var path = Path.Combine(directory, "logo.png");
        using var bitmap = new SKBitmap(160, 48);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(0x1F, 0x3A, 0x5F));
            using var paint = new SKPaint { Color = SKColors.White };
            canvas.DrawRect(12, 18, 136, 12, paint);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>A TrueType font that is not DejaVu Sans (so it must be embedded): DejaVu Serif, installed with Chromium's fonts.</summary>
    private static string CustomFont()
    {
        const string Path = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
        Assert.True(File.Exists(Path), $"{Path} is needed as a custom font; install it (Debian/Ubuntu: sudo apt-get install fonts-dejavu-core).");
        return Path;
    }

    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    private static string Tags(string html) => string.Join('\n', Tag().Matches(html).Select(static m => m.Value));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("<[a-zA-Z][^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex("<h([1-6])[ >]")]
    private static partial Regex Headings();

    [GeneratedRegex("--([a-z-]+):(#[0-9A-F]{6})")]
    private static partial Regex CssVariables();

    [GeneratedRegex("\\s(?:src|href)=\"(?!#|data:)")]
    private static partial Regex ExternalReferences();
}
