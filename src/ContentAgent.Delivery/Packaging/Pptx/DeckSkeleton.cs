using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace ContentAgent.Delivery.Packaging.Pptx;

/// <summary>
/// The parts every deck has before its slides: the presentation, a theme with the brand colours and font, a slide master
/// with title, title-and-content and blank layouts, a notes master (with its own theme), and the presentation, view and
/// table-style properties.
/// </summary>
internal sealed class DeckSkeleton
{
    private const string NoTableStyle = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}";

    private DeckSkeleton(PresentationPart presentation, SlideLayoutPart title, SlideLayoutPart content, SlideLayoutPart blank, NotesMasterPart notesMaster)
    {
        Presentation = presentation;
        TitleLayout = title;
        ContentLayout = content;
        BlankLayout = blank;
        NotesMaster = notesMaster;
    }

    public PresentationPart Presentation { get; }

    public SlideLayoutPart TitleLayout { get; }

    public SlideLayoutPart ContentLayout { get; }

    public SlideLayoutPart BlankLayout { get; }

    public NotesMasterPart NotesMaster { get; }

    public static DeckSkeleton Create(PresentationDocument package, PackageDocument document)
    {
        var presentationPart = package.AddPresentationPart();
        var masterPart = presentationPart.AddNewPart<SlideMasterPart>("rId1");
        var themePart = masterPart.AddNewPart<ThemePart>("rId1");
        themePart.Theme = Slides.Declare(Theme(document, "ContentAgent"));
        presentationPart.AddPart(themePart, "rId2");

        var titleLayout = Layout(masterPart, "rId2", "Title Slide", P.SlideLayoutValues.Title, TitleLayoutShapes());
        var contentLayout = Layout(masterPart, "rId3", "Title and Content", P.SlideLayoutValues.Object, ContentLayoutShapes());
        var blankLayout = Layout(masterPart, "rId4", "Blank", P.SlideLayoutValues.Blank, []);
        masterPart.SlideMaster = Slides.Declare(Master());

        var notesMasterPart = presentationPart.AddNewPart<NotesMasterPart>("rId3");
        notesMasterPart.AddNewPart<ThemePart>("rId1").Theme = Slides.Declare(Theme(document, "ContentAgent Notes"));
        notesMasterPart.NotesMaster = Slides.Declare(NotesMasterElement());

        presentationPart.AddNewPart<PresentationPropertiesPart>("rId4").PresentationProperties = new P.PresentationProperties();
        presentationPart.AddNewPart<ViewPropertiesPart>("rId5").ViewProperties = new P.ViewProperties(
            new P.NormalViewProperties(new P.RestoredLeft { Size = 15620 }, new P.RestoredTop { Size = 94660 }));
        presentationPart.AddNewPart<TableStylesPart>("rId6").TableStyleList = new A.TableStyleList { Default = NoTableStyle };

        presentationPart.Presentation = Slides.Declare(new P.Presentation(
            new P.SlideMasterIdList(new P.SlideMasterId { Id = 2147483648U, RelationshipId = "rId1" }),
            new P.NotesMasterIdList(new P.NotesMasterId { Id = "rId3" }),
            new P.SlideIdList(),
            new P.SlideSize { Cx = (int)Geometry.SlideWidth, Cy = (int)Geometry.SlideHeight },
            new P.NotesSize { Cx = Geometry.SlideHeight, Cy = Geometry.NotesHeight },
            DefaultTextStyle())
        {
            SaveSubsetFonts = true,
        });

        return new DeckSkeleton(presentationPart, titleLayout, contentLayout, blankLayout, notesMasterPart);
    }

    /// <summary>The theme: the brand colours as dark 2, accent 1 and accent 2, the brand font as the major and minor font.</summary>
    private static A.Theme Theme(PackageDocument document, string name)
    {
        var primary = Hex(document.PrimaryColor);
        var accent = Hex(document.AccentColor);
        return new A.Theme(
            new A.ThemeElements(
                new A.ColorScheme(
                    new A.Dark1Color(new A.SystemColor { Val = A.SystemColorValues.WindowText, LastColor = "000000" }),
                    new A.Light1Color(new A.SystemColor { Val = A.SystemColorValues.Window, LastColor = "FFFFFF" }),
                    new A.Dark2Color(Rgb(primary)),
                    new A.Light2Color(Rgb("F2F2F2")),
                    new A.Accent1Color(Rgb(primary)),
                    new A.Accent2Color(Rgb(accent)),
                    new A.Accent3Color(Rgb(Slides.Mix(primary, "FFFFFF", 0.45))),
                    new A.Accent4Color(Rgb(Slides.Mix(accent, "FFFFFF", 0.45))),
                    new A.Accent5Color(Rgb("7F7F7F")),
                    new A.Accent6Color(Rgb(Slides.Mix(primary, accent, 0.5))),
                    new A.Hyperlink(Rgb(accent)),
                    new A.FollowedHyperlinkColor(Rgb(Slides.Mix(primary, "FFFFFF", 0.3))))
                { Name = "ContentAgent" },
                new A.FontScheme(
                    new A.MajorFont(FontCollection(document.FontFamily)),
                    new A.MinorFont(FontCollection(document.FontFamily)))
                { Name = "ContentAgent" },
                new A.FormatScheme(
                    new A.FillStyleList(SchemeFill(), SchemeFill(), SchemeFill()),
                    new A.LineStyleList(SchemeLine(6350), SchemeLine(12700), SchemeLine(19050)),
                    new A.EffectStyleList(new A.EffectStyle(new A.EffectList()), new A.EffectStyle(new A.EffectList()), new A.EffectStyle(new A.EffectList())),
                    new A.BackgroundFillStyleList(SchemeFill(), SchemeFill(), SchemeFill()))
                { Name = "ContentAgent" }),
            new A.ObjectDefaults(),
            new A.ExtraColorSchemeList())
        { Name = name };

        static OpenXmlElement[] FontCollection(string family) =>
        [
            new A.LatinFont { Typeface = family },
            new A.EastAsianFont { Typeface = string.Empty },
            new A.ComplexScriptFont { Typeface = family },
            new A.SupplementalFont { Script = "Jpan", Typeface = "Yu Gothic" },
            new A.SupplementalFont { Script = "Hans", Typeface = "DengXian" },
            new A.SupplementalFont { Script = "Hant", Typeface = "Microsoft JhengHei" },
            new A.SupplementalFont { Script = "Hang", Typeface = "Malgun Gothic" },
        ];

        static A.SolidFill SchemeFill() => new(new A.SchemeColor { Val = A.SchemeColorValues.PhColor });

        static A.Outline SchemeLine(int width) => new(new A.SolidFill(new A.SchemeColor { Val = A.SchemeColorValues.PhColor })) { Width = width };
    }

    private static P.SlideMaster Master()
    {
        var shapes = Slides.ShapeTree(
            Slides.Placeholder(2, "Title Placeholder 1", P.PlaceholderValues.Title, null, Geometry.Title, A.TextAnchoringTypeValues.Top),
            Slides.Placeholder(3, "Text Placeholder 2", P.PlaceholderValues.Body, 1U, Geometry.Body, A.TextAnchoringTypeValues.Top));
        return new P.SlideMaster(
            new P.CommonSlideData(
                new P.Background(new P.BackgroundProperties(new A.SolidFill(new A.SchemeColor { Val = A.SchemeColorValues.Background1 }), new A.EffectList())),
                shapes),
            StandardColorMap(),
            new P.SlideLayoutIdList(
                new P.SlideLayoutId { Id = 2147483649U, RelationshipId = "rId2" },
                new P.SlideLayoutId { Id = 2147483650U, RelationshipId = "rId3" },
                new P.SlideLayoutId { Id = 2147483651U, RelationshipId = "rId4" }),
            new P.TextStyles(
                new P.TitleStyle(Level<A.Level1ParagraphProperties>(Geometry.TitleSize, bold: true, A.SchemeColorValues.Text2, major: true)),
                new P.BodyStyle(Level<A.Level1ParagraphProperties>(Geometry.BodySize, bold: false, A.SchemeColorValues.Text1, major: false)),
                new P.OtherStyle(Level<A.Level1ParagraphProperties>(Geometry.BodySize, bold: false, A.SchemeColorValues.Text1, major: false))));
    }

    private static SlideLayoutPart Layout(SlideMasterPart master, string id, string name, P.SlideLayoutValues type, OpenXmlElement[] shapes)
    {
        var part = master.AddNewPart<SlideLayoutPart>(id);
        part.AddPart(master, "rId1");
        part.SlideLayout = Slides.Declare(new P.SlideLayout(
            new P.CommonSlideData(Slides.ShapeTree(shapes)) { Name = name },
            new P.ColorMapOverride(new A.MasterColorMapping()))
        {
            Type = type,
            Preserve = true,
        });
        return part;
    }

    private static OpenXmlElement[] TitleLayoutShapes() =>
    [
        Slides.Placeholder(2, "Title 1", P.PlaceholderValues.CenteredTitle, null, Geometry.CoverTitle, A.TextAnchoringTypeValues.Bottom),
        Slides.Placeholder(3, "Subtitle 2", P.PlaceholderValues.SubTitle, 1U, Geometry.CoverSubtitle, A.TextAnchoringTypeValues.Top),
    ];

    private static OpenXmlElement[] ContentLayoutShapes() =>
    [
        Slides.Placeholder(2, "Title 1", P.PlaceholderValues.Title, null, Geometry.Title, A.TextAnchoringTypeValues.Top),
        Slides.Placeholder(3, "Content Placeholder 2", P.PlaceholderValues.Body, 1U, Geometry.Body, A.TextAnchoringTypeValues.Top),
    ];

    /// <summary>The colour map of the slide master and the notes master: background and text on the theme's light and dark colours.</summary>
    private static P.ColorMap StandardColorMap() => new()
    {
        Background1 = A.ColorSchemeIndexValues.Light1,
        Text1 = A.ColorSchemeIndexValues.Dark1,
        Background2 = A.ColorSchemeIndexValues.Light2,
        Text2 = A.ColorSchemeIndexValues.Dark2,
        Accent1 = A.ColorSchemeIndexValues.Accent1,
        Accent2 = A.ColorSchemeIndexValues.Accent2,
        Accent3 = A.ColorSchemeIndexValues.Accent3,
        Accent4 = A.ColorSchemeIndexValues.Accent4,
        Accent5 = A.ColorSchemeIndexValues.Accent5,
        Accent6 = A.ColorSchemeIndexValues.Accent6,
        Hyperlink = A.ColorSchemeIndexValues.Hyperlink,
        FollowedHyperlink = A.ColorSchemeIndexValues.FollowedHyperlink,
    };

    private static P.NotesMaster NotesMasterElement()
    {
        var width = Geometry.SlideHeight;
        var image = new Box(width / 8, Geometry.NotesHeight / 12, width * 3 / 4, width * 3 / 4 * Geometry.SlideHeight / Geometry.SlideWidth);
        var body = new Box(width / 10, image.Y + image.Height + (Geometry.NotesHeight / 30), width * 4 / 5, Geometry.NotesHeight * 4 / 10);
        return new P.NotesMaster(
            new P.CommonSlideData(
                new P.Background(new P.BackgroundProperties(new A.SolidFill(new A.SchemeColor { Val = A.SchemeColorValues.Background1 }), new A.EffectList())),
                Slides.ShapeTree(
                    Slides.SlideImagePlaceholder(2, image),
                    Slides.Placeholder(3, "Notes Placeholder 2", P.PlaceholderValues.Body, 1U, body, A.TextAnchoringTypeValues.Top))),
            StandardColorMap(),
            new P.NotesStyle(Level<A.Level1ParagraphProperties>(1200, bold: false, A.SchemeColorValues.Text1, major: false)));
    }

    private static P.DefaultTextStyle DefaultTextStyle() =>
        new(new A.DefaultParagraphProperties(new A.DefaultRunProperties { Language = "en-US" }), Level<A.Level1ParagraphProperties>(Geometry.BodySize, bold: false, A.SchemeColorValues.Text1, major: false));

    /// <summary>A list level: left aligned, no bullet, single spacing, no space before or after, the theme's font.</summary>
    private static T Level<T>(int size, bool bold, A.SchemeColorValues color, bool major)
        where T : A.TextParagraphPropertiesType, new()
    {
        var level = new T
        {
            LeftMargin = 0,
            Indent = 0,
            Alignment = A.TextAlignmentTypeValues.Left,
            DefaultTabSize = 914400,
            RightToLeft = false,
            EastAsianLineBreak = true,
            LatinLineBreak = false,
        };
        level.Append(
            new A.LineSpacing(new A.SpacingPercent { Val = 100000 }),
            new A.SpaceBefore(new A.SpacingPoints { Val = 0 }),
            new A.SpaceAfter(new A.SpacingPoints { Val = 0 }),
            new A.NoBullet(),
            new A.DefaultRunProperties(
                new A.SolidFill(new A.SchemeColor { Val = color }),
                new A.LatinFont { Typeface = major ? "+mj-lt" : "+mn-lt" },
                new A.EastAsianFont { Typeface = major ? "+mj-ea" : "+mn-ea" },
                new A.ComplexScriptFont { Typeface = major ? "+mj-cs" : "+mn-cs" })
            {
                FontSize = size,
                Bold = bold,
                Kerning = 0,
            });
        return level;
    }

    private static A.RgbColorModelHex Rgb(string hex) => new() { Val = hex };

    private static string Hex(string color) => color.TrimStart('#').ToUpperInvariant();
}
