using System.Globalization;
using ContentAgent.Batches;
using ContentAgent.Learning;
using ContentAgent.Quality;
using SkiaSharp;

namespace ContentAgent.Delivery.Packaging.Pdf;

/// <summary>The brand colours and the fixed greys of the strategy PDF.</summary>
internal sealed class PdfPalette
{
    public static readonly SKColor Ink = new(0x1F, 0x23, 0x28);
    public static readonly SKColor Muted = new(0x5B, 0x66, 0x75);
    public static readonly SKColor Rule = new(0xD5, 0xDB, 0xE3);
    public static readonly SKColor Zebra = new(0xF4, 0xF6, 0xF9);
    public static readonly SKColor Track = new(0xE6, 0xEA, 0xEF);

    public PdfPalette(string primary, string accent)
    {
        Primary = SKColor.TryParse(primary, out var p) ? p : new SKColor(0x1F, 0x3A, 0x5F);
        Accent = SKColor.TryParse(accent, out var a) ? a : new SKColor(0xE0, 0x7A, 0x1F);
        OnPrimary = IsLight(Primary) ? Ink : SKColors.White;
        OnAccent = IsLight(Accent) ? Ink : SKColors.White;
        Tint = Mix(Primary, SKColors.White, 0.9f);
    }

    public SKColor Primary { get; }

    public SKColor Accent { get; }

    /// <summary>Gets the text colour that reads on the primary colour.</summary>
    public SKColor OnPrimary { get; }

    /// <summary>Gets the text colour that reads on the accent colour.</summary>
    public SKColor OnAccent { get; }

    /// <summary>Gets a pale primary, for cards.</summary>
    public SKColor Tint { get; }

    private static bool IsLight(SKColor color) => (0.299 * color.Red) + (0.587 * color.Green) + (0.114 * color.Blue) > 170;

    private static SKColor Mix(SKColor color, SKColor with, float amount) => new(
        (byte)(color.Red + ((with.Red - color.Red) * amount)),
        (byte)(color.Green + ((with.Green - color.Green) * amount)),
        (byte)(color.Blue + ((with.Blue - color.Blue) * amount)));
}

/// <summary>
/// Lays the strategy out on pages, without drawing: cover, executive summary with key figures and the score chart, the
/// table of posts (header repeated on every page), one section per platform with every post's full text, the learnings,
/// then the header and footer of every page but the cover, now that the page count is known.
/// </summary>
internal sealed class StrategyLayout
{
    private static readonly TextStyle Body = new(10f, 14.5f);
    private static readonly TextStyle Small = new(8.5f, 12f);
    private static readonly TextStyle SmallBold = new(8.5f, 12f, Bold: true);
    private static readonly TextStyle Cell = new(9f, 12.5f);
    private static readonly TextStyle CellBold = new(9f, 12.5f, Bold: true);
    private static readonly TextStyle Heading1 = new(20f, 26f, Bold: true);
    private static readonly TextStyle Heading2 = new(13f, 18f, Bold: true);
    private static readonly TextStyle Heading3 = new(11f, 15f, Bold: true);
    private static readonly TextStyle Figure = new(18f, 22f, Bold: true);
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private readonly PackageDocument _document;
    private readonly TextShaper _shaper;
    private readonly SKImage? _logo;
    private readonly CancellationToken _cancellationToken;
    private readonly PdfPalette _palette;
    private readonly PageFlow _flow = new();

    public StrategyLayout(PackageDocument document, TextShaper shaper, SKImage? logo, CancellationToken cancellationToken)
    {
        _document = document;
        _shaper = shaper;
        _logo = logo;
        _cancellationToken = cancellationToken;
        _palette = new PdfPalette(document.PrimaryColor, document.AccentColor);
    }

    /// <summary>Lays out every page.</summary>
    public IReadOnlyList<PdfPage> Compose()
    {
        Cover();
        Summary();
        PostTable();
        foreach (var section in _document.Platforms)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            Platform(section);
        }

        Learnings();
        Chrome();
        return _flow.Pages;
    }

    private static string CriterionName(QualityCriterion criterion) => criterion switch
    {
        QualityCriterion.CallToAction => "Call to action",
        QualityCriterion.PlatformFit => "Platform fit",
        _ => criterion.ToString(),
    };

    private static string Score(PostResult post) => post.Score is { } score ? score.Overall.ToString("F1", Culture) : "n/a";

    private List<TextLine> Wrap(string text, TextStyle style, float width)
    {
        var lines = new List<TextLine>();
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split('\n'))
        {
            lines.AddRange(_shaper.Shape(paragraph, style).Wrap(width));
        }

        return lines;
    }

    /// <summary>One line, cut with an ellipsis when it is wider than <paramref name="width"/>.</summary>
    private TextLine OneLine(string text, TextStyle style, float width)
    {
        var flat = text.ReplaceLineEndings(" ");
        var shaped = _shaper.Shape(flat, style);
        if (shaped.Width <= width)
        {
            return shaped.Wrap(float.MaxValue)[0];
        }

        var ellipsis = _shaper.Shape("…", style).Width;
        var length = shaped.FittingLength(width, ellipsis);
        return _shaper.Shape(flat[..length].TrimEnd() + "…", style).Wrap(float.MaxValue)[0];
    }

    /// <summary>At most <paramref name="max"/> lines; the last one ends with an ellipsis when text was left out.</summary>
    private List<TextLine> Clamp(string text, TextStyle style, float width, int max)
    {
        var lines = _shaper.Shape(text.ReplaceLineEndings(" "), style).Wrap(width);
        if (lines.Count <= max)
        {
            return lines;
        }

        var kept = lines.Take(max - 1).ToList();
        var last = lines[max - 1];
        kept.Add(OneLine(last.Owner.Text[last.Start..] + " …", style, width));
        return kept;
    }

    private void Heading(string text, TextStyle style, float keepWithNext)
    {
        var lines = Wrap(text, style, PageFlow.Width);
        _flow.EnsureRoom((lines.Count * style.LineHeight) + keepWithNext);
        _flow.Lines(lines, PageFlow.Left, PageFlow.Width, style == Heading1 ? _palette.Primary : PdfPalette.Ink);
        if (style == Heading1)
        {
            _flow.Add(new RectItem(new SKRect(PageFlow.Left, _flow.Y + 3, PageFlow.Left + 36, _flow.Y + 6), _palette.Accent));
            _flow.Y += 16;
        }
        else
        {
            _flow.Y += 4;
        }
    }

    private void Paragraph(string text, TextStyle style, SKColor color, float after = 6)
    {
        _flow.Lines(Wrap(text, style, PageFlow.Width), PageFlow.Left, PageFlow.Width, color);
        _flow.Y += after;
    }

    private void Cover()
    {
        var page = _flow.NewPage();
        const float band = 470f;
        var width = PageFlow.Width;
        var left = PageFlow.Left;
        page.Items.Add(new RectItem(new SKRect(0, 0, PageFlow.PageWidth, band), _palette.Primary));
        page.Items.Add(new RectItem(new SKRect(0, band, PageFlow.PageWidth, band + 8), _palette.Accent));

        var textTop = 150f;
        if (_logo is not null)
        {
            // On a white card, so any logo reads on any brand colour.
            var scale = Math.Min(150f / _logo.Width, 56f / _logo.Height);
            var (w, h) = (_logo.Width * scale, _logo.Height * scale);
            page.Items.Add(new RectItem(new SKRect(left, 48, left + w + 20, 48 + h + 20), SKColors.White, 6));
            page.Items.Add(new ImageItem(_logo, SKRect.Create(left + 10, 58, w, h)));
            textTop = 48 + h + 60;
        }

        // Title as large as fits in four lines.
        var titleStyle = new TextStyle(30f, 36f, Bold: true);
        var title = Wrap(_document.Title, titleStyle, width);
        foreach (var size in (ReadOnlySpan<float>)[24f, 20f, 16f])
        {
            if (title.Count <= 4)
            {
                break;
            }

            titleStyle = new TextStyle(size, size * 1.2f, Bold: true);
            title = Wrap(_document.Title, titleStyle, width);
        }

        title = title.Count > 6 ? Clamp(_document.Title, titleStyle, width, 6) : title;
        var kicker = OneLine("CONTENT STRATEGY", SmallBold, width);
        var client = _document.ClientName is { } name ? Clamp($"Prepared for {name}", new TextStyle(14f, 19f), width, 3) : [];
        var blockHeight = SmallBold.LineHeight + 10 + (title.Count * titleStyle.LineHeight) + (client.Count > 0 ? 10 + (client.Count * 19f) : 0);
        var y = Math.Max(textTop, band - 48 - blockHeight);
        _flow.Place(kicker, left, width, y, _palette.OnPrimary.WithAlpha(210));
        y += SmallBold.LineHeight + 10;
        foreach (var line in title)
        {
            _flow.Place(line, left, width, y, _palette.OnPrimary);
            y += titleStyle.LineHeight;
        }

        y += 10;
        foreach (var line in client)
        {
            _flow.Place(line, left, width, y, _palette.OnPrimary);
            y += 19f;
        }

        // The facts, as label and value.
        var posts = _document.Posts;
        var platforms = string.Join(", ", _document.Platforms.Select(static p => p.Name));
        (string Label, string Value)[] facts =
        [
            ("Prepared by", _document.AgencyName),
            ("Date", _document.CreatedAt.ToString("d MMMM yyyy", Culture)),
            ("Posts", string.Create(Culture, $"{posts.Count} ready-to-publish posts for {platforms}")),
            ("Average score", string.Create(Culture, $"{_document.Batch.AverageScore:F1} out of 100")),
            ("Plan", _document.Batch.Plan.PlanId),
        ];
        y = band + 48;
        const float labelWidth = 110f;
        var valueStyle = new TextStyle(11f, 15f);
        foreach (var (label, value) in facts)
        {
            _flow.Place(OneLine(label.ToUpperInvariant(), SmallBold, labelWidth), left, labelWidth, y + 2, PdfPalette.Muted);
            foreach (var line in Clamp(value, valueStyle, width - labelWidth, 3))
            {
                _flow.Place(line, left + labelWidth, width - labelWidth, y, PdfPalette.Ink);
                y += valueStyle.LineHeight;
            }

            y += 8;
        }

        y += 10;
        page.Items.Add(new RuleItem(new SKPoint(left, y), new SKPoint(PageFlow.Right, y), PdfPalette.Rule, 0.8f));
        y += 12;
        _flow.Place(OneLine("BRIEF", SmallBold, labelWidth), left, labelWidth, y + 2, PdfPalette.Muted);
        foreach (var line in Clamp(_document.Batch.Plan.Brief, valueStyle, width - labelWidth, Math.Max(1, (int)((PageFlow.BodyBottom - y) / valueStyle.LineHeight))))
        {
            _flow.Place(line, left + labelWidth, width - labelWidth, y, PdfPalette.Ink);
            y += valueStyle.LineHeight;
        }
    }

    private void Summary()
    {
        _flow.NewPage();
        Heading("Executive summary", Heading1, Body.LineHeight * 3);
        foreach (var paragraph in _document.ExecutiveSummary)
        {
            Paragraph(paragraph, Body, PdfPalette.Ink, after: 8);
        }

        // Key figures, as cards.
        _flow.Y += 8;
        var batch = _document.Batch;
        (string Value, string Label)[] figures =
        [
            (_document.Posts.Count.ToString(Culture), "posts ready to publish"),
            (batch.AverageScore.ToString("F1", Culture), "average score out of 100"),
            (batch.Trend.ToString(), "score trend over the batch"),
            (batch.Learnings.Count.ToString(Culture), "learnings carried forward"),
        ];
        const float gap = 10f;
        const float cardHeight = 62f;
        var cardWidth = (PageFlow.Width - (gap * (figures.Length - 1))) / figures.Length;
        _flow.EnsureRoom(cardHeight);
        for (var i = 0; i < figures.Length; i++)
        {
            var x = PageFlow.Left + (i * (cardWidth + gap));
            _flow.Add(new RectItem(SKRect.Create(x, _flow.Y, cardWidth, cardHeight), _palette.Tint, 6));
            var figure = Figure;
            while (figure.Size > 11 && _shaper.Shape(figures[i].Value, figure).Width > cardWidth - 20)
            {
                figure = figure with { Size = figure.Size - 1 };
            }

            _flow.Place(OneLine(figures[i].Value, figure, cardWidth - 20), x + 10, cardWidth - 20, _flow.Y + 9, _palette.Primary);
            var labels = Clamp(figures[i].Label, Small, cardWidth - 20, 2);
            for (var l = 0; l < labels.Count; l++)
            {
                _flow.Place(labels[l], x + 10, cardWidth - 20, _flow.Y + 33 + (l * Small.LineHeight), PdfPalette.Muted);
            }
        }

        _flow.Y += cardHeight + 20;

        Heading("By platform", Heading2, Body.LineHeight * 2);
        foreach (var section in _document.Platforms)
        {
            var average = section.Posts.Where(static p => p.Score is not null).Select(static p => p.Score!.Overall).DefaultIfEmpty(0).Average();
            var line = _shaper.Shape(section.Name, new TextStyle(10f, 16f, Bold: true)).Wrap(PageFlow.Width * 0.4f);
            var detail = OneLine(string.Create(Culture, $"{section.Posts.Count} posts, average score {average:F1}"), new TextStyle(10f, 16f), PageFlow.Width * 0.55f);
            _flow.EnsureRoom(line.Count * 16f);
            _flow.Place(detail, PageFlow.Left, PageFlow.Width, _flow.Y, PdfPalette.Muted, alignRight: true);
            _flow.Lines(line, PageFlow.Left, PageFlow.Width * 0.4f, PdfPalette.Ink);
            _flow.Add(new RuleItem(new SKPoint(PageFlow.Left, _flow.Y + 1), new SKPoint(PageFlow.Right, _flow.Y + 1), PdfPalette.Rule, 0.5f));
            _flow.Y += 4;
        }

        _flow.Y += 18;
        Heading("Scores by post", Heading2, ScoreChart.Height);
        ScoreChart.Place(_flow, _shaper, _palette, _document.Posts, batch.AverageScore);
    }

    private void PostTable()
    {
        _flow.NewPage();
        Heading("All posts", Heading1, 60);
        Paragraph("Every post in the package, in the order it was written, with its overall score out of 100. The full texts follow, grouped by platform.", Body, PdfPalette.Muted, after: 12);

        const float padding = 5f;
        float[] widths = [30f, 84f, 0f, 0f, 82f];
        var flexible = (PageFlow.Width - widths.Sum()) / 2;
        widths[2] = flexible;
        widths[3] = flexible;
        string[] headings = ["#", "Platform", "Topic", "Angle", "Score"];

        void Header()
        {
            var height = CellBold.LineHeight + (2 * padding) + 2;
            _flow.Add(new RectItem(SKRect.Create(PageFlow.Left, _flow.Y, PageFlow.Width, height), _palette.Primary));
            var x = PageFlow.Left;
            for (var c = 0; c < headings.Length; c++)
            {
                _flow.Place(OneLine(headings[c], CellBold, widths[c] - (2 * padding)), x + padding, widths[c] - (2 * padding), _flow.Y + padding + 1, _palette.OnPrimary, alignRight: c == 0);
                x += widths[c];
            }

            _flow.Y += height;
        }

        _flow.EnsureRoom(80);
        Header();
        var row = 0;
        foreach (var post in _document.Posts)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            List<TextLine>[] cells =
            [
                [OneLine(post.Index.ToString(Culture), Cell, widths[0] - (2 * padding))],
                Clamp(PlatformSection.DisplayName(post.Spec.Platform), Cell, widths[1] - (2 * padding), 2),
                Clamp(post.Spec.Topic, Cell, widths[2] - (2 * padding), 4),
                Clamp(post.Spec.Angle, Cell, widths[3] - (2 * padding), 4),
                [OneLine(Score(post), CellBold, 30)],
            ];
            var height = (cells.Max(static c => c.Count) * Cell.LineHeight) + (2 * padding);
            if (_flow.Y + height > PageFlow.BodyBottom)
            {
                _flow.NewPage();
                Header();
            }

            if (row++ % 2 == 1)
            {
                _flow.Add(new RectItem(SKRect.Create(PageFlow.Left, _flow.Y, PageFlow.Width, height), PdfPalette.Zebra));
            }

            var x = PageFlow.Left;
            for (var c = 0; c < cells.Length - 1; c++)
            {
                for (var l = 0; l < cells[c].Count; l++)
                {
                    _flow.Place(cells[c][l], x + padding, widths[c] - (2 * padding), _flow.Y + padding + (l * Cell.LineHeight), PdfPalette.Ink, alignRight: c == 0);
                }

                x += widths[c];
            }

            // Score: the number and a bar out of 100.
            var number = cells[^1][0];
            _flow.Place(number, x + padding, 30, _flow.Y + padding, PdfPalette.Ink, alignRight: true);
            var track = SKRect.Create(x + padding + 36, _flow.Y + padding + (Cell.LineHeight / 2) - 2.5f, widths[^1] - (2 * padding) - 36, 5);
            _flow.Add(new RectItem(track, PdfPalette.Track, 2.5f));
            var fill = (float)(Math.Clamp(post.Score?.Overall ?? 0, 0, 100) / 100);
            if (fill > 0)
            {
                _flow.Add(new RectItem(new SKRect(track.Left, track.Top, track.Left + (track.Width * fill), track.Bottom), _palette.Accent, 2.5f));
            }

            _flow.Y += height;
        }

        _flow.Add(new RuleItem(new SKPoint(PageFlow.Left, _flow.Y), new SKPoint(PageFlow.Right, _flow.Y), PdfPalette.Rule, 0.8f));
    }

    private void Platform(PlatformSection section)
    {
        _flow.NewPage();
        Heading(section.Name, Heading1, 80);
        var average = section.Posts.Where(static p => p.Score is not null).Select(static p => p.Score!.Overall).DefaultIfEmpty(0).Average();
        Paragraph(string.Create(Culture, $"{section.Posts.Count} posts, average score {average:F1} out of 100. Each post is given in full, ready to publish."), Body, PdfPalette.Muted, after: 14);
        foreach (var post in section.Posts)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            Post(post);
        }
    }

    private void Post(PostResult post)
    {
        const float chipWidth = 74f;
        var titleWidth = PageFlow.Width - chipWidth - 12;
        var title = Wrap(string.Create(Culture, $"#{post.Index}  {post.Spec.Topic}"), Heading3, titleWidth);
        var angle = Wrap($"Angle: {post.Spec.Angle}", Small, PageFlow.Width);
        var body = Wrap(post.Text ?? string.Empty, Body, PageFlow.Width);

        // Keep the title with its angle and the first lines of the text.
        _flow.EnsureRoom((title.Count * Heading3.LineHeight) + (angle.Count * Small.LineHeight) + (Math.Min(3, body.Count) * Body.LineHeight) + 6);
        var chip = SKRect.Create(PageFlow.Right - chipWidth, _flow.Y, chipWidth, Heading3.LineHeight);
        _flow.Add(new RectItem(chip, _palette.Primary, 4));
        var chipText = OneLine($"Score {Score(post)}", SmallBold, chipWidth - 8);
        _flow.Place(chipText, chip.Left + ((chip.Width - chipText.Width) / 2), chipText.Width, chip.Top + ((Heading3.LineHeight - Small.LineHeight) / 2), _palette.OnPrimary);
        _flow.Lines(title, PageFlow.Left, titleWidth, PdfPalette.Ink);
        _flow.Lines(angle, PageFlow.Left, PageFlow.Width, PdfPalette.Muted);
        _flow.Y += 6;

        var breakdown = post.Score is { } score && score.Breakdown.Count > 0
            ? Wrap(string.Join("  ·  ", score.Breakdown.Select(static c => string.Create(Culture, $"{CriterionName(c.Criterion)} {c.Score:0.#}/10"))), Small, PageFlow.Width)
            : [];
        for (var i = 0; i < body.Count; i++)
        {
            var line = body[i];
            if (line.IsEmpty && line.Owner.Text.Length == 0)
            {
                // A blank line between paragraphs: half a line of space, none at the top of a page.
                _flow.Y += _flow.Y > PageFlow.BodyTop + 0.5f ? Body.LineHeight / 2 : 0;
                continue;
            }

            if (i == body.Count - 1)
            {
                // The last line goes with the score breakdown, so the breakdown never stands alone on a page.
                _flow.EnsureRoom(Body.LineHeight + 4 + (breakdown.Count * Small.LineHeight));
            }

            _flow.Lines([line], PageFlow.Left, PageFlow.Width, PdfPalette.Ink);
        }

        if (breakdown.Count > 0)
        {
            _flow.Y += 4;
            _flow.Lines(breakdown, PageFlow.Left, PageFlow.Width, PdfPalette.Muted);
        }

        _flow.Y += 8;
        if (_flow.Y < PageFlow.BodyBottom)
        {
            _flow.Add(new RuleItem(new SKPoint(PageFlow.Left, _flow.Y), new SKPoint(PageFlow.Right, _flow.Y), PdfPalette.Rule, 0.6f));
        }

        _flow.Y += 14;
    }

    private void Learnings()
    {
        // After the last platform on the same page when a good part of the page is free.
        if (_flow.Remaining > PageFlow.Height / 3)
        {
            _flow.Y += 18;
        }
        else
        {
            _flow.NewPage();
        }

        Heading("Learnings", Heading1, 60);
        var learnings = _document.Batch.Learnings;
        Paragraph(
            learnings.Count == 0
                ? "No learnings were recorded for this batch."
                : "What the scores taught the batch, carried from post to post: keep repeats what worked, avoid fixes what scored badly. They guide the next batch.",
            Body,
            PdfPalette.Muted,
            after: 12);

        const float chipWidth = 48f;
        var textWidth = PageFlow.Width - chipWidth - 12;
        foreach (var learning in learnings)
        {
            var text = Wrap(learning.Text, Body, textWidth);
            var details = new List<string>();
            if (learning.Criterion is { } criterion)
            {
                details.Add(CriterionName(criterion));
            }

            details.Add(learning.SourcePost is { } source ? string.Create(Culture, $"from post #{source}") : "summary of earlier learnings");
            if (learning.Weight > 1)
            {
                details.Add(string.Create(Culture, $"seen {learning.Weight} times"));
            }

            var detail = Wrap(string.Join("  ·  ", details), Small, textWidth);
            _flow.EnsureRoom((Math.Min(2, text.Count) * Body.LineHeight) + Small.LineHeight);
            var keep = learning.Kind == LearningKind.Keep;
            var chip = SKRect.Create(PageFlow.Left, _flow.Y + 1, chipWidth, Body.LineHeight - 2);
            _flow.Add(new RectItem(chip, keep ? _palette.Primary : _palette.Accent, 4));
            var label = OneLine(keep ? "KEEP" : "AVOID", SmallBold, chipWidth - 6);
            _flow.Place(label, chip.Left + ((chip.Width - label.Width) / 2), label.Width, _flow.Y + ((Body.LineHeight - Small.LineHeight) / 2), keep ? _palette.OnPrimary : _palette.OnAccent);
            _flow.Lines(text, PageFlow.Left + chipWidth + 12, textWidth, PdfPalette.Ink);
            _flow.Lines(detail, PageFlow.Left + chipWidth + 12, textWidth, PdfPalette.Muted);
            _flow.Y += 10;
        }
    }

    /// <summary>Header and footer on every page but the cover, with "Page N of M" now that M is known.</summary>
    private void Chrome()
    {
        var pages = _flow.Pages;
        var headerStyle = new TextStyle(9f, 12f);
        var headerBold = new TextStyle(9f, 12f, Bold: true);
        const float headerTop = 32f;
        var footerTop = PageFlow.PageHeight - 44f;
        var date = _document.CreatedAt.ToString("d MMMM yyyy", Culture);
        for (var i = 1; i < pages.Count; i++)
        {
            var items = pages[i].Items;
            var x = PageFlow.Left;
            if (_logo is not null)
            {
                var scale = Math.Min(60f / _logo.Width, 16f / _logo.Height);
                items.Add(new ImageItem(_logo, SKRect.Create(x, headerTop + 6 - (_logo.Height * scale / 2), _logo.Width * scale, _logo.Height * scale)));
                x += (_logo.Width * scale) + 8;
            }

            var agency = OneLine(_document.AgencyName, headerBold, PageFlow.Width * 0.45f);
            items.Add(new TextItem(agency, x, headerTop, _palette.Primary));
            var titleWidth = PageFlow.Right - (x + agency.Width + 24);
            var title = OneLine(_document.Title, headerStyle, titleWidth);
            items.Add(new TextItem(title, PageFlow.Right - title.Width, headerTop, PdfPalette.Muted));
            items.Add(new RuleItem(new SKPoint(PageFlow.Left, 54), new SKPoint(PageFlow.Right, 54), _palette.Primary, 0.8f));

            items.Add(new RuleItem(new SKPoint(PageFlow.Left, footerTop - 8), new SKPoint(PageFlow.Right, footerTop - 8), PdfPalette.Rule, 0.6f));
            var left = OneLine(string.Create(Culture, $"{date}  ·  {_document.Batch.Plan.PlanId}"), Small, PageFlow.Width * 0.6f);
            items.Add(new TextItem(left, PageFlow.Left, footerTop, PdfPalette.Muted));
            var number = OneLine(string.Create(Culture, $"Page {i + 1} of {pages.Count}"), Small, PageFlow.Width * 0.3f);
            items.Add(new TextItem(number, PageFlow.Right - number.Width, footerTop, PdfPalette.Muted));
        }
    }
}
