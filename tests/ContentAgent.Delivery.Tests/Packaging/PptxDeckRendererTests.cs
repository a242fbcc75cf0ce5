using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ContentAgent.Batches;
using ContentAgent.Delivery.Packaging;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace ContentAgent.Tests.Delivery.Packaging;

/// <summary>
/// <c>deck.pptx</c> checked by real clients: the Open XML validator, LibreOffice converting it to PDF, and poppler reading
/// the PDF back (page count, text, where the words landed).
/// </summary>
public sealed partial class PptxDeckRendererTests(PptxDeckRendererTests.Decks decks) : IClassFixture<PptxDeckRendererTests.Decks>
{
    /// <summary>Points: the body, table and score panel end at 6.7 in; the footer starts at 6.93 in.</summary>
    private const double BodyBottom = 6.7 * 72;
    private const double FooterTop = 6.93 * 72;

    [Fact]
    public void AddDelivery_RegistersThePptxRenderer()
    {
        using var services = Services();

        var renderer = Assert.Single(services.GetServices<IPackageRenderer>(), static r => r.Format == "pptx");

        Assert.Equal("deck.pptx", renderer.FileName);
        Assert.Matches(@"^DocumentFormat\.OpenXml \d+\.\d+\.\d+$", renderer.Generator);
        Assert.Contains("pptx", services.GetRequiredService<IOutputPackager>().Formats);
    }

    [Fact]
    public void PackageAsync_FiftyPosts_ValidatesWithZeroErrors() => AssertValid(decks.Fifty.Pptx);

    [Fact]
    public void PackageAsync_FiftyPosts_HasMasterLayoutsThemeNotesMasterAndTheSlidesInOrder()
    {
        using var package = PresentationDocument.Open(decks.Fifty.Pptx, false);
        var presentation = package.PresentationPart!;
        var master = Assert.Single(presentation.SlideMasterParts);
        Assert.Equal(
            [P.SlideLayoutValues.Title, P.SlideLayoutValues.Object, P.SlideLayoutValues.Blank],
            master.SlideMaster.SlideLayoutIdList!.Elements<P.SlideLayoutId>().Select(id => ((SlideLayoutPart)master.GetPartById(id.RelationshipId!.Value!)).SlideLayout.Type!.Value));
        Assert.NotNull(master.ThemePart);
        Assert.NotNull(presentation.NotesMasterPart?.ThemePart);

        var slides = Slides(package);
        Assert.Equal(P.SlideLayoutValues.Title, slides[0].SlideLayoutPart!.SlideLayout.Type!.Value);
        Assert.Contains("Executive summary", SlideText(slides[1]));
        Assert.StartsWith("Overview", Title(slides[2]));
        Assert.StartsWith("Learnings", Title(slides[^1]));

        // One slide (or more, when long) per done post, in index order, each with the score breakdown in its notes.
        var posts = decks.Fifty.Batch.Posts.Where(static p => p.Status == PostStatus.Done).ToList();
        var postSlides = slides.Where(static s => Shape(s, "Post text") is not null).ToList();
        Assert.True(postSlides.Count >= posts.Count);
        foreach (var slide in postSlides)
        {
            var notes = slide.NotesSlidePart?.NotesSlide.InnerText;
            Assert.False(string.IsNullOrEmpty(notes));
            Assert.Contains("Score ", notes);
            Assert.Contains("Call to action:", notes);
        }

        var first = posts[0];
        var firstNotes = postSlides[0].NotesSlidePart!.NotesSlide.InnerText;
        Assert.All(first.Score!.Breakdown, c => Assert.Contains(c.Reason, firstNotes));
        Assert.Contains($"{first.Spec.Topic} / {first.Spec.Angle}", Title(postSlides[0]));
    }

    [Fact]
    public void PackageAsync_FiftyPosts_OverviewIsARealTableOfEveryPostContinuedOverSlides()
    {
        using var package = PresentationDocument.Open(decks.Fifty.Pptx, false);
        var tables = Slides(package).SelectMany(static s => s.Slide.Descendants<A.Table>()).ToList();

        Assert.True(tables.Count > 1, "50 rows do not fit one slide: the table continues on more overview slides.");
        Assert.All(tables, t => Assert.Equal(5, t.TableGrid!.Elements<A.GridColumn>().Count()));
        Assert.All(tables, t => Assert.Equal(["#", "Platform", "Topic", "Angle", "Score"], t.Elements<A.TableRow>().First().Elements<A.TableCell>().Select(static c => c.InnerText)));
        var rows = tables.SelectMany(static t => t.Elements<A.TableRow>().Skip(1)).ToList();
        var posts = decks.Fifty.Batch.Posts.Where(static p => p.Status == PostStatus.Done).ToList();
        Assert.Equal(posts.Select(static p => p.Index.ToString(CultureInfo.InvariantCulture)), rows.Select(static r => r.Elements<A.TableCell>().First().InnerText));
        Assert.Equal(posts.Select(static p => p.Score!.Overall.ToString("F1", CultureInfo.InvariantCulture)), rows.Select(static r => r.Elements<A.TableCell>().Last().InnerText));
    }

    [Fact]
    public void PackageAsync_FiftyPosts_LibreOfficeMakesOnePagePerSlide()
    {
        using var package = PresentationDocument.Open(decks.Fifty.Pptx, false);
        var slideCount = Slides(package).Count;

        Assert.True(slideCount >= 54, $"expected cover, summary, overview slides, 50 posts and learnings; got {slideCount} slides");
        Assert.Equal(slideCount, decks.Fifty.Pdf.PageCount);
    }

    [Fact]
    public void PackageAsync_FiftyPosts_EveryPostsTextIsInThePdfOnItsOwnPages()
    {
        AssertPostTextInPdf(decks.Fifty);
    }

    [Fact]
    public void PackageAsync_FiftyPosts_NoTextRunsPastItsBox()
    {
        AssertNothingOverflows(decks.Fifty);
    }

    [Fact]
    public void PackageAsync_HardCases_ValidatesWithZeroErrorsAndConverts()
    {
        AssertValid(decks.Hard.Pptx);
        using var package = PresentationDocument.Open(decks.Hard.Pptx, false);
        Assert.Equal(Slides(package).Count, decks.Hard.Pdf.PageCount);
    }

    [Fact]
    public void PackageAsync_HardCases_MarkupIsTextInRunsAndInThePdf()
    {
        using var package = PresentationDocument.Open(decks.Hard.Pptx, false);
        var texts = Slides(package).SelectMany(static s => s.Slide.Descendants<A.Text>()).Select(static t => t.Text).ToList();

        Assert.Contains(PackageSamples.Markup, texts);
        Assert.Contains(texts, static t => t.Contains("AI <i>and</i> \"trust\"", StringComparison.Ordinal));
        Assert.Contains(Normalize(PackageSamples.Markup), decks.Hard.Pdf.Text);
        Assert.Contains("AI <i>and</i> \"trust\"", decks.Hard.Pdf.Text);
        Assert.DoesNotContain(Slides(package), static s => s.Slide.Descendants().Any(static e => e.LocalName is "script" or "img" or "b"));
    }

    [Fact]
    public void PackageAsync_HardCases_RightToLeftAndCjkStayTextWithDirectionAndLanguage()
    {
        using var package = PresentationDocument.Open(decks.Hard.Pptx, false);
        var paragraphs = Slides(package).SelectMany(static s => s.Slide.Descendants<A.Paragraph>()).ToList();

        var rtl = Assert.Single(paragraphs, static p => p.InnerText.Contains(PackageSamples.Arabic, StringComparison.Ordinal) && Shape(p) == "Post text");
        Assert.True(rtl.ParagraphProperties?.RightToLeft?.Value);
        var runs = rtl.Elements<A.Run>().ToList();
        Assert.Contains(runs, static r => r.RunProperties?.Language == "ar-SA" && r.InnerText.Contains("الذكاء", StringComparison.Ordinal));
        Assert.Contains(runs, static r => r.RunProperties?.Language == "he-IL" && r.InnerText.Contains("בינה", StringComparison.Ordinal));

        var cjk = Assert.Single(paragraphs, static p => p.InnerText.Contains(PackageSamples.Chinese, StringComparison.Ordinal) && Shape(p) == "Post text");
        Assert.Contains(cjk.Elements<A.Run>(), static r => r.RunProperties?.Language == "zh-CN" && r.RunProperties.GetFirstChild<A.EastAsianFont>() is not null);
        Assert.Contains(cjk.Elements<A.Run>(), static r => r.RunProperties?.Language == "ja-JP" && r.InnerText.Contains("リモートワーク", StringComparison.Ordinal));
        Assert.Contains(paragraphs, static p => p.InnerText.Contains(PackageSamples.Emoji, StringComparison.Ordinal));

        // Emoji, CJK and the Latin text come through LibreOffice as text.
        Assert.Contains(Normalize(PackageSamples.Chinese), decks.Hard.Pdf.Text);
        Assert.Contains("リモートワーク", decks.Hard.Pdf.Text);
        Assert.Contains("Ship it", decks.Hard.Pdf.Text);
        Assert.Contains("🚀", decks.Hard.Pdf.Text);
        Assert.Contains("🎉", decks.Hard.Pdf.Text);
    }

    [Fact]
    public void PackageAsync_HardCases_LongPostContinuesOverSlidesToItsEnd()
    {
        var longText = PackageSamples.LongText(10_000);
        var pdf = decks.Hard.Pdf.Text;

        Assert.Contains("Sentence 1 of a very long post", pdf);
        Assert.Contains("Sentence 60 of a very long post", pdf);
        Assert.Contains("END-OF-LONG-POST", pdf);
        using var package = PresentationDocument.Open(decks.Hard.Pptx, false);
        var index = decks.Hard.Batch.Posts.Single(static p => p.Text == PackageSamples.LongText(10_000)).Index;
        var parts = Slides(package).Where(s => Kicker(s).StartsWith($"{PlatformOf(decks.Hard, index)} · Post #{index} ·", StringComparison.Ordinal)).ToList();
        Assert.True(parts.Count >= 3, $"the 10,000-character post should continue over several slides; found {parts.Count}");
        Assert.Equal(Normalize(longText), Normalize(string.Join(' ', parts.Select(static s => BodyText(s)))));
        AssertPostTextInPdf(decks.Hard);
        AssertNothingOverflows(decks.Hard);
    }

    [Fact]
    public void PackageAsync_EdgeCases_LongNamesTopicsWordsAndLearningsAreCutOrWrappedNeverOverflowing()
    {
        AssertValid(decks.Edge.Pptx);
        using var package = PresentationDocument.Open(decks.Edge.Pptx, false);
        var slides = Slides(package);
        Assert.Equal(slides.Count, decks.Edge.Pdf.PageCount);

        // A title too long for its box ends with an ellipsis; the whole of it is in the speaker notes.
        var first = slides.First(s => Kicker(s).Contains("Post #1", StringComparison.Ordinal));
        Assert.EndsWith("…", Title(first));
        Assert.Contains(string.Join(' ', Enumerable.Repeat("a remarkably long topic", 13)), first.NotesSlidePart!.NotesSlide.InnerText);
        Assert.Contains("END-OF-WORD", decks.Edge.Pdf.Text);
        Assert.Contains("line one line two\uFFFD with a bell", decks.Edge.Pdf.Text);
        Assert.Contains("Control \uFFFD characters and a lone \uFFFD surrogate", decks.Edge.Pdf.Text);
        Assert.True(slides.Count(static s => Title(s).StartsWith("Learnings", StringComparison.Ordinal)) > 1);
        Assert.Contains("Learning 40:", decks.Edge.Pdf.Text);
        AssertPostTextInPdf(decks.Edge);
        AssertNothingOverflows(decks.Edge);
    }

    [Fact]
    public async Task PackageAsync_Branding_LogoOnTheTitleSlideAndBrandColoursInTheTheme()
    {
        var keep = Environment.GetEnvironmentVariable("CONTENTAGENT_KEEP_DECKS");
        var directory = keep is { Length: > 0 } ? Directory.CreateDirectory(Path.Combine(keep, "brand")).FullName : Directory.CreateTempSubdirectory("contentagent-pptx-brand-").FullName;
        try
        {
            var logo = Path.Combine(directory, "logo.png");
            using (var bitmap = new SKBitmap(300, 100))
            {
                using (var canvas = new SKCanvas(bitmap))
                {
                    canvas.Clear(new SKColor(0x12, 0x34, 0x56));
                }

                using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                await File.WriteAllBytesAsync(logo, data.ToArray());
            }

            await using var services = Services(o =>
            {
                o.ClientName = "Acme & Sons";
                o.AgencyName = "Northwind <Agency>";
                o.PrimaryColor = "#123456";
                o.AccentColor = "#abcdef";
                o.LogoPath = logo;
            });
            var batch = await PackageSamples.OfflineBatchAsync(3, "20261123-120000-brand");
            var result = await services.GetRequiredService<IOutputPackager>().PackageAsync(batch, directory, ["pptx"]);

            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(static e => e.Message)));
            var pptx = Assert.Single(result.Files).Path;
            AssertValid(pptx);
            using var package = PresentationDocument.Open(pptx, false);
            var cover = Slides(package)[0];
            var image = Assert.Single(cover.ImageParts);
            Assert.Equal("image/png", image.ContentType);
            var picture = Assert.Single(cover.Slide.Descendants<P.Picture>());
            Assert.Equal(cover.GetIdOfPart(image), picture.BlipFill!.Blip!.Embed!.Value);
            Assert.Contains("Content strategy for Acme & Sons", SlideText(cover));
            Assert.Contains("Northwind <Agency>", SlideText(cover));

            var scheme = package.PresentationPart!.SlideMasterParts.Single().ThemePart!.Theme.ThemeElements!.ColorScheme!;
            Assert.Equal("123456", scheme.Dark2Color!.RgbColorModelHex!.Val!.Value);
            Assert.Equal("123456", scheme.Accent1Color!.RgbColorModelHex!.Val!.Value);
            Assert.Equal("ABCDEF", scheme.Accent2Color!.RgbColorModelHex!.Val!.Value);
            var fonts = package.PresentationPart.SlideMasterParts.Single().ThemePart!.Theme.ThemeElements!.FontScheme!;
            Assert.Equal("DejaVu Sans", fonts.MinorFont!.LatinFont!.Typeface!.Value);
            Assert.Equal("DejaVu Sans", fonts.MajorFont!.LatinFont!.Typeface!.Value);
        }
        finally
        {
            if (keep is not { Length: > 0 })
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>
    /// <see cref="PackageSamples.Services"/> with logging: the packager takes an <c>ILogger</c>, which
    /// <c>AddContentAgent()</c> alone does not register.
    /// </summary>
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

    private static void AssertValid(string pptx)
    {
        using var package = PresentationDocument.Open(pptx, false);
        foreach (var version in new[] { FileFormatVersions.Office2019, FileFormatVersions.Microsoft365 })
        {
            var errors = new OpenXmlValidator(version).Validate(package).ToList();
            Assert.True(errors.Count == 0, $"{version}: {errors.Count} validation error(s):\n" + string.Join('\n', errors.Take(30).Select(static e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}")));
        }
    }

    /// <summary>Each post slide's text is on its own PDF page, and a post's slides together hold its whole text.</summary>
    private static void AssertPostTextInPdf(Deck deck)
    {
        using var package = PresentationDocument.Open(deck.Pptx, false);
        var slides = Slides(package);
        var byPost = new Dictionary<string, List<string>>();
        for (var i = 0; i < slides.Count; i++)
        {
            if (Shape(slides[i], "Post text") is null)
            {
                continue;
            }

            var body = Normalize(BodyText(slides[i]));
            var kicker = Kicker(slides[i]);
            var post = PostNumber().Match(kicker).Value;
            if (!IsRightToLeft(body))
            {
                Assert.True(Letters(deck.Pdf.Pages[i]).Contains(Letters(body), StringComparison.Ordinal), $"page {i + 1} ({kicker}) lacks its text:\n{body}\n--- page text:\n{deck.Pdf.Pages[i]}");
            }

            (byPost.TryGetValue(post, out var parts) ? parts : byPost[post] = []).Add(body);
        }

        foreach (var post in deck.Batch.Posts.Where(static p => p.Status == PostStatus.Done))
        {
            Assert.True(byPost.TryGetValue($"Post #{post.Index}", out var parts), $"post #{post.Index} has no slide");
            Assert.Equal(Letters(post.Text!), Letters(string.Join(' ', parts)));
        }
    }

    /// <summary>Below the body (6.7 in) only the footer may have words: a line past its box would start above the footer.</summary>
    private static void AssertNothingOverflows(Deck deck)
    {
        foreach (var word in deck.Pdf.Words.Where(static w => w.Page > 1))
        {
            Assert.True(
                word.YMax <= BodyBottom + 1 || (word.YMin >= FooterTop - 4 && word.YMax <= 540),
                $"page {word.Page}: '{word.Text}' at y {word.YMin:F1}–{word.YMax:F1} pt runs past its box (body ends at {BodyBottom} pt)");
            Assert.True(word.XMax <= 960 - (0.6 * 72) + 2, $"page {word.Page}: '{word.Text}' ends at x {word.XMax:F1} pt, past the right margin");
        }
    }

    private static string PlatformOf(Deck deck, int index) => deck.Batch.Posts.Single(p => p.Index == index).Spec.Platform switch
    {
        Planning.Platform.X => "X (Twitter)",
        var platform => platform.ToString(),
    };

    private static List<SlidePart> Slides(PresentationDocument package)
    {
        var presentation = package.PresentationPart!;
        return [.. presentation.Presentation.SlideIdList!.Elements<P.SlideId>().Select(id => (SlidePart)presentation.GetPartById(id.RelationshipId!.Value!))];
    }

    private static P.Shape? Shape(SlidePart slide, string name) =>
        slide.Slide.Descendants<P.Shape>().FirstOrDefault(s => s.NonVisualShapeProperties?.NonVisualDrawingProperties?.Name?.Value == name);

    private static string? Shape(A.Paragraph paragraph) =>
        paragraph.Ancestors<P.Shape>().FirstOrDefault()?.NonVisualShapeProperties?.NonVisualDrawingProperties?.Name?.Value;

    private static string Title(SlidePart slide) => Shape(slide, "Title 1")?.InnerText ?? string.Empty;

    private static string Kicker(SlidePart slide) => Shape(slide, "Kicker")?.InnerText ?? string.Empty;

    private static string BodyText(SlidePart slide) =>
        string.Join('\n', Shape(slide, "Post text")!.TextBody!.Elements<A.Paragraph>().Select(static p => string.Concat(p.Elements<A.Run>().Select(static r => r.Text!.Text))));

    private static string SlideText(SlidePart slide) =>
        string.Join('\n', slide.Slide.Descendants<A.Paragraph>().Select(static p => string.Concat(p.Descendants<A.Text>().Select(static t => t.Text))));

    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    /// <summary>
    /// Text compared without what poppler moves: it puts spaces where lines wrap (also between CJK characters), drops the
    /// hyphen of a word broken at its hyphen, and lists emoji (drawn from another font) after their line; so whitespace,
    /// hyphens and symbols outside the basic plane are left out on both sides (emoji are checked on their own).
    /// </summary>
    private static string Letters(string text) => NotLetters().Replace(text, string.Empty);

    private static bool IsRightToLeft(string text) => text.Any(static c => c is >= '\u0590' and <= '\u08FF');

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[\s\-\uFE0F\u200D]|\p{Cs}")]
    private static partial Regex NotLetters();

    [GeneratedRegex(@"Post #\d+")]
    private static partial Regex PostNumber();

    [GeneratedRegex("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)</word>|<page ")]
    private static partial Regex BboxWord();

    /// <summary>A rendered deck: its batch, the pptx, and the PDF LibreOffice made of it.</summary>
    public sealed record Deck(BatchResult Batch, string Pptx, PdfText Pdf);

    /// <summary>What poppler reads in a PDF: pages, their text (whitespace collapsed) and every word's box in points.</summary>
    public sealed record PdfText(int PageCount, IReadOnlyList<string> Pages, string Text, IReadOnlyList<PdfWord> Words);

    /// <summary>A word on a PDF page (1-based), its box in points from the top left.</summary>
    public sealed record PdfWord(int Page, string Text, double XMin, double YMin, double XMax, double YMax);

    /// <summary>The 50-post deck and the hard-cases deck, each packaged once and converted once by LibreOffice.</summary>
    public sealed class Decks : IAsyncLifetime
    {
        /// <summary>Set to a folder to keep the decks and PDFs there for a look (for example with <c>pdftoppm -png</c>).</summary>
        private static readonly string? Keep = Environment.GetEnvironmentVariable("CONTENTAGENT_KEEP_DECKS");

        private readonly string _directory = Keep is { Length: > 0 } keep ? Directory.CreateDirectory(keep).FullName : Directory.CreateTempSubdirectory("contentagent-pptx-").FullName;

        public Deck Fifty { get; private set; } = null!;

        public Deck Hard { get; private set; } = null!;

        public Deck Edge { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var fifty = MakeAsync(await PackageSamples.OfflineBatchAsync(50));
            var hard = MakeAsync(await PackageSamples.HardCasesAsync());
            var edge = MakeAsync(await EdgeCasesAsync(), static o =>
            {
                o.ClientName = string.Join(' ', Enumerable.Repeat("Consolidated International Holdings", 5));
                o.AgencyName = string.Join(' ', Enumerable.Repeat("Very Creative Agency", 9));
            });
            (Fifty, Hard, Edge) = (await fifty, await hard, await edge);
        }

        /// <summary>Text that must be cut or wrapped hard: a 300-character topic, a 1,500-character word, 40 learnings.</summary>
        private static async Task<BatchResult> EdgeCasesAsync()
        {
            var batch = await PackageSamples.OfflineBatchAsync(4, "20261123-120000-edge");
            var posts = batch.Posts.ToArray();
            posts[0] = posts[0] with { Spec = posts[0].Spec with { Topic = string.Join(' ', Enumerable.Repeat("a remarkably long topic", 13)), Angle = string.Join(' ', Enumerable.Repeat("an angle", 20)) } };
            posts[1] = posts[1] with { Text = "Read https://example.com/" + new string('x', 1500) + " END-OF-WORD" };
            posts[2] = posts[2] with { Spec = posts[2].Spec with { Angle = "line one\nline two\u0007 with a bell" } };
            Learning.Learning[] learnings = [.. Enumerable.Range(1, 40).Select(static i => new Learning.Learning(i % 3 == 0 ? Learning.LearningKind.Avoid : Learning.LearningKind.Keep, $"Learning {i}: open with a concrete number and keep each paragraph to two short sentences.", null, i))];
            learnings[0] = learnings[0] with { Text = "Control \u0001 characters and a lone \uD800 surrogate cannot go into XML." };
            return batch with { Posts = posts, Learnings = learnings };
        }

        public Task DisposeAsync()
        {
            if (Keep is not { Length: > 0 })
            {
                Directory.Delete(_directory, recursive: true);
            }

            return Task.CompletedTask;
        }

        private async Task<Deck> MakeAsync(BatchResult batch, Action<PackagingOptions>? branding = null)
        {
            await using var services = Services(branding);
            var result = await services.GetRequiredService<IOutputPackager>().PackageAsync(batch, _directory, ["pptx"]);
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(static e => e.Message)));
            var pptx = Assert.Single(result.Files).Path;
            var pdf = await ConvertToPdfAsync(pptx);
            return new Deck(batch, pptx, await ReadPdfAsync(pdf));
        }

        private static async Task<string> ConvertToPdfAsync(string pptx)
        {
            var soffice = FindOnPath("soffice") ?? FindOnPath("libreoffice");
            Assert.True(soffice is not null, "LibreOffice is not installed, and these tests open the deck with it: install it (Debian/Ubuntu: sudo apt-get install libreoffice-impress).");
            var output = Path.Combine(Path.GetDirectoryName(pptx)!, "pdf");
            Directory.CreateDirectory(output);
            var profile = Path.Combine(Path.GetTempPath(), $"lo-profile-{Guid.NewGuid():N}");
            try
            {
                await RunAsync(soffice, TimeSpan.FromSeconds(120), "--headless", "--norestore", $"-env:UserInstallation=file://{profile}", "--convert-to", "pdf", "--outdir", output, pptx);
            }
            finally
            {
                if (Directory.Exists(profile))
                {
                    Directory.Delete(profile, recursive: true);
                }
            }

            var pdf = Path.Combine(output, Path.ChangeExtension(Path.GetFileName(pptx), ".pdf"));
            Assert.True(File.Exists(pdf), $"LibreOffice did not convert {pptx} to PDF.");
            return pdf;
        }

        private static async Task<PdfText> ReadPdfAsync(string pdf)
        {
            var info = await RunAsync("pdfinfo", TimeSpan.FromSeconds(30), pdf);
            var pages = int.Parse(Regex.Match(info, @"^Pages:\s+(\d+)", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
            // -raw keeps the drawing order: a text box's lines stay together, whatever sits beside them.
            var text = await RunAsync("pdftotext", TimeSpan.FromSeconds(30), "-raw", "-enc", "UTF-8", pdf, "-");
            var pageTexts = text.Split('\f').Select(Normalize).ToList();

            var words = new List<PdfWord>();
            var page = 0;
            foreach (Match match in BboxWord().Matches(await RunAsync("pdftotext", TimeSpan.FromSeconds(30), "-bbox", "-enc", "UTF-8", pdf, "-")))
            {
                if (!match.Groups[1].Success)
                {
                    page++;
                    continue;
                }

                double Value(int group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
                words.Add(new PdfWord(page, System.Net.WebUtility.HtmlDecode(match.Groups[5].Value), Value(1), Value(2), Value(3), Value(4)));
            }

            return new PdfText(pages, pageTexts, Normalize(text), words);
        }

        private static Task<string> RunAsync(string file, TimeSpan timeout, params string[] arguments) => ExternalTool.RunCheckedAsync(file, timeout, arguments);

        private static string? FindOnPath(string name) =>
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }
}
