using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using ContentAgent.Batches;
using ContentAgent.Learning;
using ContentAgent.Quality;

namespace ContentAgent.Delivery.Packaging.Html;

/// <summary>
/// Writes <c>summary.html</c>: one self-contained, script-free page (inline CSS, logo and a custom font as data: URIs, a
/// Content-Security-Policy that forbids anything else) with the summary, the figures, a score chart, the posts table, every
/// post in full with its score breakdown, and the learnings. Everything that came from a person or a model is HTML-encoded.
/// </summary>
internal sealed class HtmlSummaryRenderer : IPackageRenderer
{
    internal const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

    /// <summary>The family name of the default font: with it, the page names system fonts instead of inlining 700 KB.</summary>
    private const string DefaultFontFamily = "DejaVu Sans";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // Every script allowed through unencoded (Arabic, CJK...) so the file stays readable; markup characters are always encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public string Format => "html";

    public string FileName => "summary.html";

    public string Generator { get; } = $"ContentAgent.Delivery {typeof(HtmlSummaryRenderer).Assembly.GetName().Version?.ToString(3)}";

    public async Task RenderAsync(PackageDocument document, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(output);
        var html = Render(document, cancellationToken);
        var writer = new StreamWriter(output, Utf8, bufferSize: 1 << 16, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(html, cancellationToken).ConfigureAwait(false);
        }
    }

    internal StringBuilder Render(PackageDocument document, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var customFont = !string.Equals(document.FontFamily, DefaultFontFamily, StringComparison.OrdinalIgnoreCase);
        var capacity = 48_000 + document.Posts.Sum(static p => (p.Text?.Length ?? 0) + 1_500)
            + ((document.Logo?.Length ?? 0) * 4 / 3) + (customFont ? document.Font.Length * 4 / 3 : 0);
        var html = new HtmlBuilder(new StringBuilder(capacity));

        WriteHead(html, document, customFont);
        html.Raw("<body>\n");
        WriteCover(html, document);
        html.Raw("<main class=\"page\">\n");
        WriteSummary(html, document);
        WriteStats(html, document);
        WriteChart(html, document);
        WritePostsTable(html, document);
        foreach (var platform in document.Platforms)
        {
            cancellationToken.ThrowIfCancellationRequested();
            WritePlatform(html, platform);
        }

        WriteLearnings(html, document);
        html.Raw("</main>\n<footer class=\"page\"><p>Prepared by ").Text(document.AgencyName)
            .Raw(" with ").Text(Generator).Raw(" · plan ").Text(document.Batch.Plan.PlanId)
            .Raw(" · ").Raw(Date(document.CreatedAt)).Raw("</p></footer>\n</body>\n</html>\n");
        return html.Builder;
    }

    private void WriteHead(HtmlBuilder html, PackageDocument document, bool customFont)
    {
        var primary = document.PrimaryColor;
        var accent = document.AccentColor;
        html.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Raw("<meta http-equiv=\"Content-Security-Policy\" content=\"").Raw(ContentSecurityPolicy).Raw("\">\n")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Raw("<meta name=\"color-scheme\" content=\"light\">\n")
            .Raw("<meta name=\"generator\" content=\"").Attribute(Generator).Raw("\">\n")
            .Raw("<meta name=\"author\" content=\"").Attribute(document.AgencyName).Raw("\">\n")
            .Raw("<title>").Text(document.Title).Raw(" · ").Text(document.AgencyName).Raw("</title>\n<style>\n");

        // Colours are validated #RRGGBB values and contrast-checked here, so text in a brand colour is always readable.
        html.Raw(":root{")
            .Raw("--brand:").Raw(primary).Raw(";--on-brand:").Raw(ColorContrast.TextOn(primary))
            .Raw(";--brand-text:").Raw(ColorContrast.Readable(primary, ColorContrast.White))
            .Raw(";--accent:").Raw(accent).Raw(";--accent-text:").Raw(ColorContrast.Readable(accent, ColorContrast.White))
            .Raw(";--tint:").Raw(ColorContrast.Mix(primary, ColorContrast.White, 0.9))
            .Raw(";--font:").Raw(customFont ? $"\"{HtmlSummaryStyles.BrandFont}\", {HtmlSummaryStyles.SystemFonts}" : HtmlSummaryStyles.SystemFonts)
            .Raw("}\n");
        if (customFont)
        {
            html.Raw("@font-face{font-family:\"").Raw(HtmlSummaryStyles.BrandFont).Raw("\";font-display:swap;src:url(data:")
                .Raw(FontMediaType(document.Font.Span)).Raw(";base64,").Base64(document.Font.Span).Raw(")}\n");
        }

        html.Raw(HtmlSummaryStyles.Sheet).Raw("</style>\n</head>\n");
    }

    private static void WriteCover(HtmlBuilder html, PackageDocument document)
    {
        html.Raw("<header class=\"cover\">\n<div class=\"page\">\n<p class=\"brand-line\">");
        if (document.Logo is { } logo && document.LogoMediaType is { } mediaType)
        {
            html.Raw("<img class=\"logo\" src=\"data:").Attribute(mediaType).Raw(";base64,").Base64(logo.Span)
                .Raw("\" alt=\"").Attribute(document.AgencyName).Raw(" logo\">");
        }

        html.Raw("<span class=\"agency\" dir=\"auto\">").Text(document.AgencyName).Raw("</span></p>\n")
            .Raw("<h1 dir=\"auto\">").Text(document.Title).Raw("</h1>\n<p class=\"meta\">");
        if (document.ClientName is { } client)
        {
            html.Raw("Prepared for <bdi>").Text(client).Raw("</bdi> by <bdi>");
        }
        else
        {
            html.Raw("Prepared by <bdi>");
        }

        html.Text(document.AgencyName).Raw("</bdi> · <time datetime=\"")
            .Raw(document.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ssK", Invariant)).Raw("\">").Raw(Date(document.CreatedAt)).Raw("</time></p>\n")
            .Raw("<nav class=\"toc\" aria-label=\"Contents\"><ol>")
            .Raw("<li><a href=\"#summary\">Summary</a></li><li><a href=\"#figures\">At a glance</a></li>")
            .Raw("<li><a href=\"#scores\">Scores</a></li><li><a href=\"#posts\">Posts</a></li>");
        foreach (var platform in document.Platforms)
        {
            html.Raw("<li><a href=\"#").Raw(PlatformId(platform)).Raw("\">").Text(platform.Name).Raw("</a></li>");
        }

        html.Raw("<li><a href=\"#learnings\">Learnings</a></li></ol></nav>\n</div>\n</header>\n");
    }

    private static void WriteSummary(HtmlBuilder html, PackageDocument document)
    {
        html.Raw("<section id=\"summary\" aria-labelledby=\"summary-title\">\n<h2 id=\"summary-title\">Executive summary</h2>\n");
        foreach (var paragraph in document.ExecutiveSummary)
        {
            html.Raw("<p>").Text(paragraph).Raw("</p>\n");
        }

        html.Raw("</section>\n");
    }

    private static void WriteStats(HtmlBuilder html, PackageDocument document)
    {
        var batch = document.Batch;
        html.Raw("<section id=\"figures\" aria-labelledby=\"figures-title\">\n<h2 id=\"figures-title\">At a glance</h2>\n<dl class=\"stats\">\n");
        Stat(html, "Average score", batch.AverageScore.ToString("F1", Invariant), "out of 100");
        Stat(html, "Trend", TrendName(batch.Trend), "of the scores over the batch");
        Stat(html, "Posts", document.Posts.Count.ToString(Invariant), batch.Failed > 0
            ? string.Create(Invariant, $"of {batch.Posts.Count} planned, {batch.Failed} failed")
            : string.Create(Invariant, $"of {batch.Posts.Count} planned"));
        Stat(html, "Tokens", batch.TotalTokens.ToString("N0", Invariant), string.Create(Invariant, $"{batch.InputTokens:N0} in, {batch.OutputTokens:N0} out"));
        Stat(html, "Learning context", string.Create(Invariant, $"{batch.Context.Total:N0}"), string.Create(Invariant, $"tokens; {batch.Context.Savings * 100:F0}% fewer than the {batch.Context.UncompactedTotal:N0} without compaction"));
        Stat(html, "Learnings", batch.Learnings.Count.ToString(Invariant), string.Create(Invariant, $"carried forward, {batch.Compactions} compaction(s)"));
        if (batch.EstimatedCost is { } cost)
        {
            Stat(html, "Estimated cost", cost.ToString("0.####", Invariant), "from the configured prices");
        }

        html.Raw("</dl>\n</section>\n");

        static void Stat(HtmlBuilder html, string name, string value, string note) =>
            html.Raw("<div class=\"stat\"><dt>").Text(name).Raw("</dt><dd>").Text(value)
                .Raw("<span class=\"note\">").Text(note).Raw("</span></dd></div>\n");
    }

    private static void WriteChart(HtmlBuilder html, PackageDocument document)
    {
        const double Width = 720, Height = 270, Left = 58, Right = 10, Top = 14, Bottom = 40;
        const double PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;
        var scored = document.Posts.Where(static p => p.Score is not null).ToList();
        var slot = PlotWidth / Math.Max(1, document.Posts.Count);
        var barWidth = Math.Min(40, slot * 0.7);

        // X labels: about 13 units a digit on a desktop, 26 on a phone (the CSS doubles the font when the chart shrinks).
        var every = (int)Math.Ceiling(26 / slot);
        var everyMobile = (int)Math.Ceiling(60 / slot);

        string label;
        if (scored.Count == 0)
        {
            label = "Bar chart of post scores: no post was scored.";
        }
        else
        {
            var low = scored.MinBy(static p => p.Score!.Overall)!;
            var high = scored.MaxBy(static p => p.Score!.Overall)!;
            label = string.Create(Invariant, $"Bar chart of the overall score (0 to 100) of each of the {scored.Count} posts, in order: average {document.Batch.AverageScore:F1}, lowest {low.Score!.Overall:F1} (post {low.Index}), highest {high.Score!.Overall:F1} (post {high.Index}). Every score is also in the table of posts.");
        }

        html.Raw("<section id=\"scores\" aria-labelledby=\"scores-title\">\n<h2 id=\"scores-title\">Scores</h2>\n<figure>\n")
            .Raw("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 270\" role=\"img\" aria-label=\"").Attribute(label).Raw("\">\n")
            .Raw("<title>").Text(label).Raw("</title>\n");
        for (var tick = 0; tick <= 100; tick += 25)
        {
            var y = Top + (PlotHeight * (1 - (tick / 100.0)));
            html.Raw(string.Create(Invariant, $"<line class=\"{(tick == 0 ? "axis" : "grid")}\" x1=\"{Left:0.#}\" x2=\"{Width - Right:0.#}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>"))
                .Raw(string.Create(Invariant, $"<text x=\"{Left - 8:0.#}\" y=\"{y:0.#}\" dy=\"0.35em\" text-anchor=\"end\">{tick}</text>\n"));
        }

        for (var i = 0; i < document.Posts.Count; i++)
        {
            var post = document.Posts[i];
            var center = Left + (slot * (i + 0.5));
            if (post.Score is { } score)
            {
                var value = Math.Clamp(score.Overall, 0, 100);
                var barHeight = PlotHeight * value / 100;
                html.Raw(string.Create(Invariant, $"<rect class=\"bar\" x=\"{center - (barWidth / 2):0.##}\" y=\"{Top + PlotHeight - barHeight:0.##}\" width=\"{barWidth:0.##}\" height=\"{barHeight:0.##}\"><title>Post {post.Index}: {value:F1}</title></rect>"));
            }

            if (i % every == 0)
            {
                html.Raw(string.Create(Invariant, $"<text{(i % everyMobile == 0 ? string.Empty : " class=\"minor\"")} x=\"{center:0.##}\" y=\"{Height - Bottom + 8:0.#}\" dy=\"0.8em\" text-anchor=\"middle\">{post.Index}</text>"));
            }
        }

        if (scored.Count > 0)
        {
            var average = Top + (PlotHeight * (1 - (Math.Clamp(document.Batch.AverageScore, 0, 100) / 100)));
            html.Raw(string.Create(Invariant, $"\n<line class=\"avg\" x1=\"{Left:0.#}\" x2=\"{Width - Right:0.#}\" y1=\"{average:0.##}\" y2=\"{average:0.##}\"/>"));
        }

        html.Raw("\n</svg>\n<figcaption>Overall score of each post by its number, 0 to 100. <span class=\"key\"></span>Dashed line: the average, ")
            .Raw(document.Batch.AverageScore.ToString("F1", Invariant)).Raw(".</figcaption>\n</figure>\n</section>\n");
    }

    private static void WritePostsTable(HtmlBuilder html, PackageDocument document)
    {
        html.Raw("<section id=\"posts\" class=\"major\" aria-labelledby=\"posts-title\">\n<h2 id=\"posts-title\">Posts</h2>\n<div class=\"table-wrap\">\n<table class=\"posts-table\">\n")
            .Raw(string.Create(Invariant, $"<caption>The {document.Posts.Count} finished posts, with their overall score out of 100</caption>\n"))
            .Raw("<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Platform</th><th scope=\"col\">Topic and angle</th><th scope=\"col\" class=\"num\">Score</th></tr></thead>\n<tbody>\n");
        foreach (var post in document.Posts)
        {
            html.Raw(string.Create(Invariant, $"<tr><th scope=\"row\"><a href=\"#post-{post.Index}\">{post.Index}</a></th><td>"))
                .Text(PlatformSection.DisplayName(post.Spec.Platform)).Raw("</td><td><bdi class=\"topic\">").Text(post.Spec.Topic)
                .Raw("</bdi><span class=\"detail\" dir=\"auto\">").Text(post.Spec.Angle).Raw("</span></td><td class=\"num\">");
            Score(html, post.Score);
            html.Raw("</td></tr>\n");
        }

        html.Raw("</tbody>\n</table>\n</div>\n</section>\n");

        static void Score(HtmlBuilder html, QualityScore? score)
        {
            if (score is null)
            {
                html.Raw("not scored");
                return;
            }

            html.Raw(score.Overall.ToString("F1", Invariant)).Raw("<span class=\"detail\">").Raw(QualityName(score.Overall)).Raw("</span>");
        }
    }

    private static void WritePlatform(HtmlBuilder html, PlatformSection platform)
    {
        var id = PlatformId(platform);
        html.Raw("<section id=\"").Raw(id).Raw("\" class=\"major\" aria-labelledby=\"").Raw(id).Raw("-title\">\n<h2 id=\"").Raw(id).Raw("-title\">")
            .Text(platform.Name).Raw("</h2>\n<p class=\"platform-intro\">")
            .Raw(string.Create(Invariant, $"{platform.Posts.Count} post{(platform.Posts.Count == 1 ? string.Empty : "s")}, average score {platform.Posts.Where(static p => p.Score is not null).Select(static p => p.Score!.Overall).DefaultIfEmpty().Average():F1}."))
            .Raw("</p>\n");
        foreach (var post in platform.Posts)
        {
            WritePost(html, post);
        }

        html.Raw("</section>\n");
    }

    private static void WritePost(HtmlBuilder html, PostResult post)
    {
        var index = post.Index.ToString(Invariant);
        html.Raw("<article class=\"post\" id=\"post-").Raw(index).Raw("\" aria-labelledby=\"post-").Raw(index).Raw("-title\">\n")
            .Raw("<div class=\"post-head\"><h3 id=\"post-").Raw(index).Raw("-title\">Post ").Raw(index).Raw(": <bdi>").Text(post.Spec.Topic).Raw("</bdi></h3>");
        if (post.Score is { } score)
        {
            html.Raw("<span class=\"badge\">").Raw(score.Overall.ToString("F1", Invariant)).Raw(" / 100 · ").Raw(QualityName(score.Overall)).Raw("</span>");
        }

        html.Raw("</div>\n<p class=\"angle\">Angle: <bdi>").Text(post.Spec.Angle).Raw("</bdi></p>\n")
            .Raw("<div class=\"post-text\" dir=\"auto\">").MultilineText(post.Text ?? string.Empty).Raw("</div>\n");
        if (post.Score is { Breakdown.Count: > 0 } breakdown)
        {
            html.Raw("<table class=\"breakdown\">\n<caption>Score breakdown of post ").Raw(index).Raw("</caption>\n")
                .Raw("<thead><tr><th scope=\"col\">Criterion</th><th scope=\"col\" class=\"num\">Score</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n");
            foreach (var criterion in breakdown.Breakdown)
            {
                var value = Math.Clamp(criterion.Score, 0, 10);
                html.Raw("<tr><th scope=\"row\" class=\"criterion\">").Raw(CriterionName(criterion.Criterion)).Raw("</th><td class=\"num\">")
                    .Raw(string.Create(Invariant, $"{value:0.#} / 10<span class=\"meter\" aria-hidden=\"true\"><span style=\"width:{value * 10:0.#}%\"></span></span>"))
                    .Raw("</td><td dir=\"auto\">").Text(criterion.Reason).Raw("</td></tr>\n");
            }

            html.Raw("</tbody>\n</table>\n");
        }

        html.Raw("</article>\n");
    }

    private static void WriteLearnings(HtmlBuilder html, PackageDocument document)
    {
        var learnings = document.Batch.Learnings;
        html.Raw("<section id=\"learnings\" class=\"major learnings\" aria-labelledby=\"learnings-title\">\n<h2 id=\"learnings-title\">Learnings</h2>\n");
        if (learnings.Count == 0)
        {
            html.Raw("<p>No learnings were recorded for this batch.</p>\n</section>\n");
            return;
        }

        html.Raw("<p>What the scores taught, carried from post to post; they guide the next batch.</p>\n");
        Group(html, learnings, LearningKind.Keep, "Keep doing");
        Group(html, learnings, LearningKind.Avoid, "Avoid");
        html.Raw("</section>\n");

        static void Group(HtmlBuilder html, IReadOnlyList<Learning.Learning> learnings, LearningKind kind, string heading)
        {
            var items = learnings.Where(l => l.Kind == kind).ToList();
            if (items.Count == 0)
            {
                return;
            }

            html.Raw("<h3>").Raw(heading).Raw("</h3>\n<ul>\n");
            foreach (var learning in items)
            {
                // The text already says where it came from ("10/10 on post 3, LinkedIn", "seen in 7 posts").
                html.Raw("<li dir=\"auto\">").Text(learning.Text).Raw("</li>\n");
            }

            html.Raw("</ul>\n");
        }
    }

    private static string PlatformId(PlatformSection platform) => "platform-" + platform.Platform.ToString().ToLowerInvariant();

    private static string Date(DateTimeOffset value) => value.ToString("d MMMM yyyy", Invariant);

    private static string TrendName(QualityTrend trend) => trend switch
    {
        QualityTrend.Improving => "Improving\u00A0↗",
        QualityTrend.Declining => "Declining\u00A0↘",
        _ => "Stable\u00A0→",
    };

    private static string QualityName(double overall) => overall >= 85 ? "excellent" : overall >= 70 ? "good" : "needs work";

    private static string CriterionName(QualityCriterion criterion) => criterion switch
    {
        QualityCriterion.CallToAction => "Call to action",
        QualityCriterion.PlatformFit => "Platform fit",
        _ => criterion.ToString(),
    };

    private static string FontMediaType(ReadOnlySpan<byte> font) =>
        font.StartsWith("OTTO"u8) ? "font/otf"
        : font.StartsWith("wOFF"u8) ? "font/woff"
        : font.StartsWith("wOF2"u8) ? "font/woff2"
        : font.StartsWith("ttcf"u8) ? "font/collection"
        : "font/ttf";

    /// <summary>A <see cref="StringBuilder"/> that says at each call whether the text is markup (<c>Raw</c>) or content (encoded).</summary>
    private readonly struct HtmlBuilder(StringBuilder builder)
    {
        public StringBuilder Builder { get; } = builder;

        public HtmlBuilder Raw(string markup)
        {
            Builder.Append(markup);
            return this;
        }

        /// <summary>Appends content: people's and models' words, encoded for element text.</summary>
        public HtmlBuilder Text(string text)
        {
            Builder.Append(Encoder.Encode(text));
            return this;
        }

        /// <summary>Appends content for a double-quoted attribute value (the encoder escapes quotes too).</summary>
        public HtmlBuilder Attribute(string text) => Text(text);

        /// <summary>Appends content keeping its line breaks as real newlines (the encoder would write them as references).</summary>
        public HtmlBuilder MultilineText(string text)
        {
            var first = true;
            foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
            {
                if (!first)
                {
                    Builder.Append('\n');
                }

                Builder.Append(Encoder.Encode(line));
                first = false;
            }

            return this;
        }

        public HtmlBuilder Base64(ReadOnlySpan<byte> bytes)
        {
            Builder.Append(Convert.ToBase64String(bytes));
            return this;
        }
    }
}
