using System.Globalization;
using ContentAgent.Batches;
using ContentAgent.Learning;
using ContentAgent.Quality;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using SkiaSharp;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace ContentAgent.Delivery.Packaging.Pptx;

/// <summary>
/// Plans the slides first (text measured, long text continued on more slides, the table split over overview slides), so
/// every slide knows its number and the total, then writes each slide part with its notes.
/// </summary>
internal sealed class DeckBuilder
{
    private const string TextColor = "262626";
    private const string MutedColor = "6B6B6B";
    private const string White = "FFFFFF";
    private const string RuleColor = "D9D9D9";
    private const int KickerSize = 1200;
    private const int FooterSize = 1000;
    private const double TableTextSize = 11;
    private const int MaxCellLines = 2;
    private const double ContinuedSize = 16;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly double[] CoverTitleSizes = [44, 40, 36, 32, 28];
    private static readonly double[] CoverSubtitleSizes = [22, 20, 18, 16];
    private static readonly double[] TitleSizes = [28, 24, 20, 18];
    private static readonly double[] BodySizes = [20, 18, 16, 14];
    private static readonly double[] LearningSizes = [18, 16, 14];
    private static readonly double[] FooterSizes = [FooterSize / 100.0];

    private readonly PresentationDocument _package;
    private readonly PackageDocument _document;
    private readonly TextFitter _fitter;
    private readonly string _primary;
    private readonly string _accent;
    private readonly string _band;
    private readonly string _primaryInk;
    private readonly string _accentInk;
    private readonly string _onPrimary;
    private readonly List<Action<int, int>> _slides = [];
    private DeckSkeleton? _skeleton;
    private P.SlideIdList? _slideIds;
    private TextParagraph? _footer;
    private uint _nextSlideId = 256;
    private int _nextRelationship = 10;

    public DeckBuilder(PresentationDocument package, PackageDocument document, TextFitter fitter)
    {
        _package = package;
        _document = document;
        _fitter = fitter;
        _primary = document.PrimaryColor.TrimStart('#');
        _accent = document.AccentColor.TrimStart('#');
        _band = Slides.Mix(_primary, White, 0.92);

        // Brand colours as text stay readable: too light on white, they are darkened; on the primary colour, text is
        // white unless the colour is light.
        _primaryInk = Slides.Luminance(_primary) <= 0.32 ? _primary : Slides.Mix(_primary, "000000", 0.55);
        _accentInk = Slides.Luminance(_accent) <= 0.32 ? _accent : Slides.Mix(_accent, "000000", 0.5);
        _onPrimary = Slides.Luminance(_primary) <= 0.4 ? White : TextColor;
    }

    public void Build(CancellationToken cancellationToken)
    {
        _skeleton = DeckSkeleton.Create(_package, _document);
        _slideIds = _skeleton.Presentation.Presentation.SlideIdList!;
        var footer = _document.ClientName is null ? _document.AgencyName : $"{_document.AgencyName} · {_document.ClientName}";
        _footer = _fitter.FitParagraph(TextParagraph.Of(Slides.Line(footer)), Geometry.FooterLeft.Frame(), FooterSizes).Paragraph;

        PlanCover();
        PlanSummary();
        PlanOverview();
        foreach (var post in _document.Posts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PlanPost(post);
        }

        PlanLearnings();
        for (var i = 0; i < _slides.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _slides[i](i + 1, _slides.Count);
        }
    }

    private void PlanCover()
    {
        var document = _document;
        var (titleSize, title) = _fitter.FitParagraph(TextParagraph.Of(Slides.Line(document.Title), bold: true), Geometry.CoverTitle.Frame(), CoverTitleSizes);
        var byline = document.ClientName is null ? $"Prepared by {document.AgencyName}" : $"Prepared for {document.ClientName} by {document.AgencyName}";
        var (subtitleSize, subtitle) = _fitter.FitParagraph(TextParagraph.Of(Slides.Line(byline)), Geometry.CoverSubtitle.Frame(), CoverSubtitleSizes);
        var date = TextParagraph.Of(document.CreatedAt.ToString("d MMMM yyyy", Invariant), bold: true);
        var platforms = string.Join(", ", document.Platforms.Select(static p => p.Name));
        var factsFrame = Geometry.CoverFacts.Frame() with { Height = Geometry.CoverFacts.Frame().Height / 2 };
        TextParagraph[] facts =
        [
            _fitter.FitParagraph(TextParagraph.Of(string.Create(Invariant, $"{document.Posts.Count} posts · {platforms}")), factsFrame, [14]).Paragraph,
            TextParagraph.Of(string.Create(Invariant, $"Average score {document.Batch.AverageScore:F1} / 100")),
        ];

        _slides.Add((number, total) =>
        {
            var hasLogo = document.Logo is not null && document.LogoMediaType is not null;
            List<OpenXmlElement> shapes =
            [
                Slides.Rectangle(2, "Brand band", Geometry.CoverBand, _primary),
                Slides.Rectangle(3, "Accent strip", Geometry.CoverStrip, _accent),
                Slides.Text(4, "Title 1", Geometry.CoverTitle, [Slides.Paragraph(title, Hundredths(titleSize), _onPrimary)], A.TextAnchoringTypeValues.Bottom, P.PlaceholderValues.CenteredTitle),
                Slides.Text(5, "Subtitle 2", Geometry.CoverSubtitle, [Slides.Paragraph(subtitle, Hundredths(subtitleSize), Slides.Mix(_primary, _onPrimary, 0.85))], A.TextAnchoringTypeValues.Top, P.PlaceholderValues.SubTitle, 1U),
                Slides.Text(6, "Date", Geometry.CoverDate, [Slides.Paragraph(date, 1600, _primaryInk)], A.TextAnchoringTypeValues.Top),
                Slides.Text(7, "Facts", Geometry.CoverFacts, facts.Select(f => Slides.Paragraph(f, 1400, MutedColor)), A.TextAnchoringTypeValues.Top),
            ];
            if (hasLogo)
            {
                shapes.Add(Slides.Picture(8, "Logo", LogoBox(document.Logo!.Value), "rId2"));
            }

            AddSlide(_skeleton!.TitleLayout, shapes, notes: null, logo: hasLogo, footer: false, number, total);
        });
    }

    private void PlanSummary()
    {
        var paragraphs = new List<TextParagraph>();
        foreach (var text in _document.ExecutiveSummary)
        {
            if (paragraphs.Count > 0)
            {
                paragraphs.Add(TextParagraph.Of(string.Empty));
            }

            paragraphs.AddRange(TextParagraph.Split(Slides.Clean(text)));
        }

        var kicker = _fitter.FitParagraph(TextParagraph.Of(Slides.Line(_document.Title), bold: true), Geometry.Kicker.Frame(), [KickerSize / 100.0]).Paragraph;
        PlanTextSlides("Executive summary", kicker, paragraphs, BodySizes, ContinuedSize);
    }

    private void PlanOverview()
    {
        var culture = Invariant;
        long[] columns = [Geometry.In(0.7), Geometry.In(1.9), Geometry.In(4.2), 0, Geometry.In(1.23)];
        columns[3] = Geometry.ContentWidth - columns.Sum();
        var marginX = Geometry.In(0.08);
        var marginY = Geometry.In(0.04);
        var widths = columns.Select(c => (c - (2 * marginX)) / (double)Geometry.Point).ToArray();
        var lineHeight = _fitter.LineEm * TableTextSize;
        var padding = (2 * marginY) + Geometry.In(0.02);
        var headerHeight = (long)(lineHeight * Geometry.Point) + padding;

        var rows = new List<(string[] Cells, long Height)>();
        foreach (var post in _document.Posts)
        {
            string[] cells =
            [
                post.Index.ToString(culture),
                PlatformSection.DisplayName(post.Spec.Platform),
                Slides.Line(post.Spec.Topic),
                Slides.Line(post.Spec.Angle),
                post.Score is { } score ? score.Overall.ToString("F1", culture) : "–",
            ];
            var height = lineHeight;
            for (var c = 1; c <= 3; c++)
            {
                var paragraph = _fitter.Truncate(TextParagraph.Of(cells[c]), widths[c], TableTextSize, MaxCellLines);
                cells[c] = paragraph.Text;
                height = Math.Max(height, _fitter.Lines(paragraph, TableTextSize, widths[c]).Height);
            }

            rows.Add((cells, (long)(height * Geometry.Point) + padding));
        }

        // Rows go on as many overview slides as they need, under a header row on each.
        var pages = new List<List<(string[] Cells, long Height)>>();
        var table = Below(TitleBlock("Overview (10 of 10)").Rule, Geometry.Body);
        var available = (long)(table.Height * 0.97) - headerHeight;
        var page = new List<(string[] Cells, long Height)>();
        var used = 0L;
        foreach (var row in rows)
        {
            if (used + row.Height > available && page.Count > 0)
            {
                pages.Add(page);
                page = [];
                used = 0;
            }

            page.Add(row);
            used += row.Height;
        }

        pages.Add(page);

        var kicker = TextParagraph.Of(string.Create(culture, $"{_document.Posts.Count} posts · average score {_document.Batch.AverageScore:F1} / 100 · trend {_document.Batch.Trend.ToString().ToLowerInvariant()}"), bold: true);
        string[] header = ["#", "Platform", "Topic", "Angle", "Score"];
        for (var p = 0; p < pages.Count; p++)
        {
            var rowsOfPage = pages[p];
            var (titleSize, title, rule) = TitleBlock(pages.Count == 1 ? "Overview" : string.Create(culture, $"Overview ({p + 1} of {pages.Count})"));
            _slides.Add((number, total) =>
            {
                var tableRows = new List<A.TableRow> { Row(header, headerHeight, _primary, _onPrimary, bold: true) };
                for (var r = 0; r < rowsOfPage.Count; r++)
                {
                    tableRows.Add(Row(rowsOfPage[r].Cells, rowsOfPage[r].Height, r % 2 == 0 ? White : _band, TextColor, bold: false));
                }

                List<OpenXmlElement> shapes =
                [
                    Slides.Text(2, "Kicker", Geometry.Kicker, [Slides.Paragraph(kicker, KickerSize, _accentInk)], A.TextAnchoringTypeValues.Bottom),
                    Slides.Text(3, "Title 1", Geometry.Title, [Slides.Paragraph(title, titleSize, _primaryInk)], A.TextAnchoringTypeValues.Top, P.PlaceholderValues.Title),
                    Slides.Rectangle(4, "Rule", rule, _accent),
                    Slides.Table(5, "Scores", table.X, table.Y, columns, tableRows),
                ];
                AddSlide(_skeleton!.ContentLayout, shapes, notes: null, logo: false, footer: true, number, total);
            });
        }

        A.TableRow Row(string[] cells, long height, string fill, string color, bool bold)
        {
            var row = new A.TableRow { Height = height };
            for (var c = 0; c < cells.Length; c++)
            {
                var alignment = c is 0 or 4 ? A.TextAlignmentTypeValues.Center : A.TextAlignmentTypeValues.Left;
                var paragraph = Slides.Paragraph(TextParagraph.Of(cells[c], bold || c == 4), Hundredths(TableTextSize), color, alignment);
                row.Append(Slides.Cell(paragraph, fill, RuleColor, marginX, marginY));
            }

            return row;
        }
    }

    private void PlanPost(PostResult post)
    {
        var culture = Invariant;
        var platform = PlatformSection.DisplayName(post.Spec.Platform);
        var (titleSize, title, rule) = TitleBlock($"{post.Spec.Topic} / {post.Spec.Angle}");
        var body = Below(rule, Geometry.PostBody);
        var (size, pages) = _fitter.Fit(TextParagraph.Split(Slides.Clean(post.Text ?? string.Empty)), body.Frame(), BodySizes, ContinuedSize);
        var notes = Notes(post, platform);

        for (var p = 0; p < pages.Count; p++)
        {
            var page = pages[p];
            var kicker = TextParagraph.Of(pages.Count == 1
                ? string.Create(culture, $"{platform} · Post #{post.Index}")
                : string.Create(culture, $"{platform} · Post #{post.Index} · part {p + 1} of {pages.Count}"), bold: true);
            _slides.Add((number, total) =>
            {
                List<OpenXmlElement> shapes =
                [
                    Slides.Text(2, "Kicker", Geometry.Kicker, [Slides.Paragraph(kicker, KickerSize, _accentInk)], A.TextAnchoringTypeValues.Bottom),
                    Slides.Text(3, "Title 1", Geometry.Title, [Slides.Paragraph(title, titleSize, _primaryInk)], A.TextAnchoringTypeValues.Top, P.PlaceholderValues.Title),
                    Slides.Rectangle(4, "Rule", rule, _accent),
                    Slides.Text(5, "Post text", body, page.Select(t => Slides.Paragraph(t, Hundredths(size), TextColor)), A.TextAnchoringTypeValues.Top, P.PlaceholderValues.Body, 1U),
                    .. ScorePanel(6, post.Score, Below(rule, Geometry.ScorePanel)),
                ];
                AddSlide(_skeleton!.ContentLayout, shapes, notes, logo: false, footer: true, number, total);
            });
        }
    }

    private void PlanLearnings()
    {
        var learnings = _document.Batch.Learnings;
        var paragraphs = new List<TextParagraph>();
        foreach (var learning in learnings)
        {
            if (paragraphs.Count > 0)
            {
                paragraphs.Add(TextParagraph.Of(string.Empty));
            }

            var keep = learning.Kind == LearningKind.Keep;
            var lines = TextParagraph.Split(Slides.Clean(learning.Text));
            paragraphs.Add(new TextParagraph([new TextRun(keep ? "Keep: " : "Avoid: ", Bold: true, keep ? _primaryInk : _accentInk), .. lines[0].Runs]));
            paragraphs.AddRange(lines.Skip(1));
        }

        if (paragraphs.Count == 0)
        {
            paragraphs.Add(TextParagraph.Of("No learnings were recorded in this batch."));
        }

        var keeps = learnings.Count(static l => l.Kind == LearningKind.Keep);
        var kicker = TextParagraph.Of(string.Create(Invariant, $"{keeps} to keep · {learnings.Count - keeps} to avoid · for the next batch"), bold: true);
        PlanTextSlides("Learnings", kicker, paragraphs, LearningSizes, LearningSizes[^1]);
    }

    private void PlanTextSlides(string title, TextParagraph kicker, List<TextParagraph> paragraphs, double[] sizes, double continuedSize)
    {
        // The body sits under the title's longest form ("… (10 of 12)"), the same on every page.
        var body = Below(TitleBlock($"{title} (10 of 10)").Rule, Geometry.Body);
        var (size, pages) = _fitter.Fit(paragraphs, body.Frame(), sizes, continuedSize);
        for (var p = 0; p < pages.Count; p++)
        {
            var page = pages[p];
            var (titleSize, pageTitle, rule) = TitleBlock(pages.Count == 1 ? title : string.Create(Invariant, $"{title} ({p + 1} of {pages.Count})"));
            _slides.Add((number, total) =>
            {
                List<OpenXmlElement> shapes =
                [
                    Slides.Text(2, "Kicker", Geometry.Kicker, [Slides.Paragraph(kicker, KickerSize, _accentInk)], A.TextAnchoringTypeValues.Bottom),
                    Slides.Text(3, "Title 1", Geometry.Title, [Slides.Paragraph(pageTitle, titleSize, _primaryInk)], A.TextAnchoringTypeValues.Top, P.PlaceholderValues.Title),
                    Slides.Rectangle(4, "Rule", rule, _accent),
                    Slides.Text(5, "Text", body, page.Select(t => Slides.Paragraph(t, Hundredths(size), TextColor)), A.TextAnchoringTypeValues.Top, P.PlaceholderValues.Body, 1U),
                ];
                AddSlide(_skeleton!.ContentLayout, shapes, notes: null, logo: false, footer: true, number, total);
            });
        }
    }

    /// <summary>The score card: the overall score on the brand colour, then the criteria and their scores in two aligned columns.</summary>
    private IEnumerable<OpenXmlElement> ScorePanel(uint id, QualityScore? score, Box panel)
    {
        const long inset = Geometry.Inch / 5;
        var criteria = panel with { Y = panel.Y + Geometry.In(1.45), Height = panel.Height - Geometry.In(1.45) };
        var headline = new List<A.Paragraph>
        {
            Slides.Paragraph(TextParagraph.Of("SCORE", bold: true), 1200, Slides.Mix(_primary, _onPrimary, 0.65)),
            Slides.Paragraph(TextParagraph.Of(score is null ? "–" : score.Overall.ToString("F1", Invariant), bold: true), 4400, _onPrimary),
            Slides.Paragraph(TextParagraph.Of(score is null ? "not scored" : "out of 100"), 1200, _onPrimary),
        };
        var names = (score?.Breakdown ?? []).Select(c => Slides.Paragraph(TextParagraph.Of(CriterionName(c.Criterion)), 1300, _onPrimary));
        var values = (score?.Breakdown ?? []).Select(c => Slides.Paragraph(TextParagraph.Of(c.Score.ToString("0.0", Invariant), bold: true), 1300, _onPrimary, A.TextAlignmentTypeValues.Right));
        return
        [
            Slides.Text(id, "Score", panel, headline, A.TextAnchoringTypeValues.Top, fill: _primary, insetX: inset, insetY: inset),
            Slides.Text(id + 1, "Criteria", criteria, names, A.TextAnchoringTypeValues.Top, insetX: inset, insetY: 0),
            Slides.Text(id + 2, "Criterion scores", criteria, values, A.TextAnchoringTypeValues.Top, insetX: inset, insetY: 0),
        ];
    }

    /// <summary>A slide title fitted to the title box (bold, as the master draws it), and the accent rule just under its last line.</summary>
    private (int Size, TextParagraph Title, Box Rule) TitleBlock(string text)
    {
        var frame = Geometry.Title.Frame();
        var (size, title) = _fitter.FitParagraph(TextParagraph.Of(Slides.Line(text), bold: true), frame, TitleSizes);
        var height = _fitter.Lines(title, size, frame.Width).Height;
        var rule = Geometry.Rule with { Y = Geometry.Title.Y + Geometry.InsetY + (long)(height * Geometry.Point) + Geometry.In(0.12) };
        return (Hundredths(size), title, rule);
    }

    /// <summary>A column of the slide (body, post text, score panel) from just under the title's rule down to the body's end.</summary>
    private static Box Below(Box rule, Box column)
    {
        var top = rule.Y + rule.Height + Geometry.In(0.25);
        return column with { Y = top, Height = Geometry.BodyBottom - top };
    }

    private static List<TextParagraph> Notes(PostResult post, string platform)
    {
        var culture = Invariant;
        var notes = new List<TextParagraph>
        {
            TextParagraph.Of(Slides.Line(string.Create(culture, $"Post #{post.Index} · {platform} · {post.Spec.Topic} / {post.Spec.Angle}")), bold: true),
        };
        if (post.Score is not { } score)
        {
            notes.Add(TextParagraph.Of("Not scored."));
            return notes;
        }

        notes.Add(TextParagraph.Of(string.Create(culture, $"Score {score.Overall:F1} / 100 ({Slides.Line(score.Scorer)})")));
        foreach (var criterion in score.Breakdown)
        {
            notes.Add(new TextParagraph(
            [
                new TextRun(string.Create(culture, $"{CriterionName(criterion.Criterion)}: {criterion.Score:0.0}/10"), Bold: true),
                new TextRun(" — " + Slides.Line(criterion.Reason)),
            ]));
        }

        return notes;
    }

    private void AddSlide(SlideLayoutPart layout, List<OpenXmlElement> shapes, List<TextParagraph>? notes, bool logo, bool footer, int number, int total)
    {
        var skeleton = _skeleton!;
        var relationship = string.Create(Invariant, $"rId{_nextRelationship++}");
        var part = skeleton.Presentation.AddNewPart<SlidePart>(relationship);
        part.AddPart(layout, "rId1");
        if (logo)
        {
            using var image = new MemoryStream(_document.Logo!.Value.ToArray(), writable: false);
            part.AddImagePart(_document.LogoMediaType!, "rId2").FeedData(image);
        }

        if (footer)
        {
            var id = (uint)shapes.Count + 2;
            shapes.Add(Slides.Text(id, "Footer", Geometry.FooterLeft, [Slides.Paragraph(_footer!, FooterSize, MutedColor)], A.TextAnchoringTypeValues.Center));
            var page = TextParagraph.Of(string.Create(Invariant, $"{number} / {total}"));
            shapes.Add(Slides.Text(id + 1, "Slide number", Geometry.FooterRight, [Slides.Paragraph(page, FooterSize, MutedColor, A.TextAlignmentTypeValues.Right)], A.TextAnchoringTypeValues.Center));
        }

        part.Slide = Slides.Declare(new P.Slide(new P.CommonSlideData(Slides.ShapeTree([.. shapes])), new P.ColorMapOverride(new A.MasterColorMapping())));
        _slideIds!.Append(new P.SlideId { Id = _nextSlideId++, RelationshipId = relationship });

        if (notes is not null)
        {
            var notesPart = part.AddNewPart<NotesSlidePart>("rId3");
            notesPart.AddPart(skeleton.NotesMaster, "rId1");
            notesPart.AddPart(part, "rId2");
            notesPart.NotesSlide = Slides.Declare(new P.NotesSlide(
                new P.CommonSlideData(Slides.ShapeTree(
                    Slides.SlideImagePlaceholder(2, null),
                    Slides.NotesText(3, notes.Select(n => Slides.Paragraph(n, 1200, TextColor))))),
                new P.ColorMapOverride(new A.MasterColorMapping())));
        }
    }

    /// <summary>The logo's place: as large as fits the logo area, its aspect kept, at the area's right.</summary>
    private static Box LogoBox(ReadOnlyMemory<byte> logo)
    {
        var area = Geometry.CoverLogo;
        var info = SKBitmap.DecodeBounds(logo.Span);
        if (info.Width <= 0 || info.Height <= 0)
        {
            return area;
        }

        var scale = Math.Min(area.Width / (double)info.Width, area.Height / (double)info.Height);
        var width = (long)(info.Width * scale);
        var height = (long)(info.Height * scale);
        return new Box(area.X + area.Width - width, area.Y + ((area.Height - height) / 2), width, height);
    }

    private static string CriterionName(QualityCriterion criterion) => criterion switch
    {
        QualityCriterion.CallToAction => "Call to action",
        QualityCriterion.PlatformFit => "Platform fit",
        _ => criterion.ToString(),
    };

    private static int Hundredths(double points) => (int)Math.Round(points * 100);
}
