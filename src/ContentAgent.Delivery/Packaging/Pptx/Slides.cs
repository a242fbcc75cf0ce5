using System.Text;
using DocumentFormat.OpenXml;
using A = DocumentFormat.OpenXml.Drawing;
using P = DocumentFormat.OpenXml.Presentation;

namespace ContentAgent.Delivery.Packaging.Pptx;

/// <summary>Shape, picture, table and paragraph factories for slides, layouts and masters.</summary>
internal static class Slides
{
    private const string TableUri = "http://schemas.openxmlformats.org/drawingml/2006/table";

    /// <summary>Declares the DrawingML, PresentationML and relationship prefixes once on a part's root, not on every element.</summary>
    public static T Declare<T>(T root)
        where T : OpenXmlElement
    {
        root.AddNamespaceDeclaration("a", "http://schemas.openxmlformats.org/drawingml/2006/main");
        root.AddNamespaceDeclaration("r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
        if (root is not A.Theme)
        {
            root.AddNamespaceDeclaration("p", "http://schemas.openxmlformats.org/presentationml/2006/main");
        }

        return root;
    }

    public static P.ShapeTree ShapeTree(params OpenXmlElement[] shapes)
    {
        var tree = new P.ShapeTree(
            new P.NonVisualGroupShapeProperties(
                new P.NonVisualDrawingProperties { Id = 1U, Name = string.Empty },
                new P.NonVisualGroupShapeDrawingProperties(),
                new P.ApplicationNonVisualDrawingProperties()),
            new P.GroupShapeProperties(new A.TransformGroup(
                new A.Offset { X = 0, Y = 0 },
                new A.Extents { Cx = 0, Cy = 0 },
                new A.ChildOffset { X = 0, Y = 0 },
                new A.ChildExtents { Cx = 0, Cy = 0 })));
        tree.Append(shapes);
        return tree;
    }

    /// <summary>A placeholder of a master or layout: position, anchor and insets, no text.</summary>
    public static P.Shape Placeholder(uint id, string name, P.PlaceholderValues type, uint? index, Box box, A.TextAnchoringTypeValues anchor) =>
        new(
            NonVisual(id, name, type, index),
            new P.ShapeProperties(Transform(box)),
            new P.TextBody(BodyProperties(anchor), new A.ListStyle(), new A.Paragraph(new A.EndParagraphRunProperties { Language = "en-US" })));

    /// <summary>The slide image placeholder of the notes master and notes slides.</summary>
    public static P.Shape SlideImagePlaceholder(uint id, Box? box) =>
        new(
            new P.NonVisualShapeProperties(
                new P.NonVisualDrawingProperties { Id = id, Name = "Slide Image Placeholder 1" },
                new P.NonVisualShapeDrawingProperties(new A.ShapeLocks { NoGrouping = true, NoRotation = true, NoChangeAspect = true }),
                new P.ApplicationNonVisualDrawingProperties(new P.PlaceholderShape { Type = P.PlaceholderValues.SlideImage })),
            box is { } b ? new P.ShapeProperties(Transform(b), new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle }) : new P.ShapeProperties());

    /// <summary>A text box (a placeholder when <paramref name="placeholder"/> is set) holding the paragraphs, optionally filled.</summary>
    public static P.Shape Text(uint id, string name, Box box, IEnumerable<A.Paragraph> paragraphs, A.TextAnchoringTypeValues anchor, P.PlaceholderValues? placeholder = null, uint? index = null, string? fill = null, long insetX = Geometry.InsetX, long insetY = Geometry.InsetY)
    {
        var properties = new P.ShapeProperties(Transform(box), new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle });
        properties.Append(fill is null ? new A.NoFill() : new A.SolidFill(new A.RgbColorModelHex { Val = fill }));
        var body = new P.TextBody(BodyProperties(anchor, insetX, insetY), new A.ListStyle());
        body.Append(paragraphs);
        if (!body.Elements<A.Paragraph>().Any())
        {
            body.Append(new A.Paragraph(new A.EndParagraphRunProperties { Language = "en-US" }));
        }

        return new P.Shape(
            placeholder is { } type ? NonVisual(id, name, type, index) : new P.NonVisualShapeProperties(
                new P.NonVisualDrawingProperties { Id = id, Name = name },
                new P.NonVisualShapeDrawingProperties(new A.ShapeLocks { NoGrouping = true }) { TextBox = true },
                new P.ApplicationNonVisualDrawingProperties()),
            properties,
            body);
    }

    /// <summary>A filled rectangle without text.</summary>
    public static P.Shape Rectangle(uint id, string name, Box box, string fill) =>
        new(
            new P.NonVisualShapeProperties(
                new P.NonVisualDrawingProperties { Id = id, Name = name },
                new P.NonVisualShapeDrawingProperties(),
                new P.ApplicationNonVisualDrawingProperties()),
            new P.ShapeProperties(
                Transform(box),
                new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle },
                new A.SolidFill(new A.RgbColorModelHex { Val = fill }),
                new A.Outline(new A.NoFill())));

    /// <summary>A picture whose image is the slide's relationship <paramref name="relationshipId"/>.</summary>
    public static P.Picture Picture(uint id, string name, Box box, string relationshipId) =>
        new(
            new P.NonVisualPictureProperties(
                new P.NonVisualDrawingProperties { Id = id, Name = name, Description = name },
                new P.NonVisualPictureDrawingProperties(new A.PictureLocks { NoChangeAspect = true }),
                new P.ApplicationNonVisualDrawingProperties()),
            new P.BlipFill(new A.Blip { Embed = relationshipId }, new A.Stretch(new A.FillRectangle())),
            new P.ShapeProperties(Transform(box), new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle }));

    /// <summary>A table in a graphic frame: its columns' widths and its rows.</summary>
    public static P.GraphicFrame Table(uint id, string name, long x, long y, IReadOnlyList<long> columns, IReadOnlyList<A.TableRow> rows)
    {
        var grid = new A.TableGrid();
        foreach (var width in columns)
        {
            grid.Append(new A.GridColumn { Width = width });
        }

        var table = new A.Table(new A.TableProperties { FirstRow = true, BandRow = true }, grid);
        table.Append(rows);
        var height = rows.Sum(static r => r.Height?.Value ?? 0);
        return new P.GraphicFrame(
            new P.NonVisualGraphicFrameProperties(
                new P.NonVisualDrawingProperties { Id = id, Name = name },
                new P.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoGrouping = true }),
                new P.ApplicationNonVisualDrawingProperties()),
            new P.Transform(new A.Offset { X = x, Y = y }, new A.Extents { Cx = columns.Sum(), Cy = height }),
            new A.Graphic(new A.GraphicData(table) { Uri = TableUri }));
    }

    /// <summary>A table cell: one paragraph, margins, a fill and a thin bottom rule.</summary>
    public static A.TableCell Cell(A.Paragraph paragraph, string fill, string rule, long marginX, long marginY) =>
        new(
            new A.TextBody(new A.BodyProperties(), new A.ListStyle(), paragraph),
            new A.TableCellProperties(
                Border<A.LeftBorderLineProperties>(null),
                Border<A.RightBorderLineProperties>(null),
                Border<A.TopBorderLineProperties>(null),
                Border<A.BottomBorderLineProperties>(rule),
                new A.SolidFill(new A.RgbColorModelHex { Val = fill }))
            {
                LeftMargin = (int)marginX,
                RightMargin = (int)marginX,
                TopMargin = (int)marginY,
                BottomMargin = (int)marginY,
                Anchor = A.TextAnchoringTypeValues.Center,
            });

    /// <summary>
    /// A paragraph of user text: one run per stretch of a script, each tagged with its language (and east Asian or complex
    /// script font); right to left when its first strong letter is Arabic or Hebrew. The SDK escapes the text.
    /// </summary>
    public static A.Paragraph Paragraph(TextParagraph paragraph, int size, string color, A.TextAlignmentTypeValues? alignment = null, IEnumerable<A.TabStop>? tabs = null)
    {
        var rtl = Scripts.IsRightToLeft(paragraph.Text);
        var properties = new A.ParagraphProperties();
        if (rtl)
        {
            properties.RightToLeft = true;
            properties.Alignment = alignment is null || alignment == A.TextAlignmentTypeValues.Left ? A.TextAlignmentTypeValues.Right : alignment;
        }
        else if (alignment is not null)
        {
            properties.Alignment = alignment;
        }

        if (tabs is not null)
        {
            properties.Append(new A.TabStopList(tabs));
        }

        var result = new A.Paragraph(properties);
        foreach (var run in paragraph.Runs)
        {
            AppendRuns(result, run, size, run.Color ?? color);
        }

        // An empty paragraph is a blank line between paragraphs: half a line high (as the fitter counts it).
        var endSize = paragraph.Text.Length == 0 ? (int)(size * TextFitter.BlankLineScale) : size;
        result.Append(new A.EndParagraphRunProperties { Language = "en-US", FontSize = endSize, Dirty = false });
        return result;
    }

    /// <summary>The body placeholder of a notes slide, holding the paragraphs (its place comes from the notes master).</summary>
    public static P.Shape NotesText(uint id, IEnumerable<A.Paragraph> paragraphs)
    {
        var body = new P.TextBody(new A.BodyProperties(), new A.ListStyle());
        body.Append(paragraphs);
        return new P.Shape(NonVisual(id, "Notes Placeholder 2", P.PlaceholderValues.Body, 1U), new P.ShapeProperties(), body);
    }

    /// <summary>Mixes two <c>RRGGBB</c> colours: <paramref name="share"/> 0 is <paramref name="from"/>, 1 is <paramref name="to"/>.</summary>
    public static string Mix(string from, string to, double share)
    {
        Span<byte> a = stackalloc byte[3];
        Span<byte> b = stackalloc byte[3];
        Convert.FromHexString(from, a, out _, out _);
        Convert.FromHexString(to, b, out _, out _);
        Span<byte> mixed = stackalloc byte[3];
        for (var i = 0; i < 3; i++)
        {
            mixed[i] = (byte)Math.Round(a[i] + ((b[i] - a[i]) * share), MidpointRounding.AwayFromZero);
        }

        return Convert.ToHexString(mixed);
    }

    /// <summary>Gets the relative luminance of an <c>RRGGBB</c> colour (WCAG): 0 is black, 1 is white.</summary>
    public static double Luminance(string color)
    {
        Span<byte> rgb = stackalloc byte[3];
        Convert.FromHexString(color, rgb, out _, out _);
        return (0.2126 * Linear(rgb[0])) + (0.7152 * Linear(rgb[1])) + (0.0722 * Linear(rgb[2]));

        static double Linear(byte channel)
        {
            var c = channel / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
    }

    /// <summary>Cleans text for one paragraph (a title, a name, a table cell): its line breaks and tabs become spaces.</summary>
    public static string Line(string text)
    {
        var clean = Clean(text);
        return clean.AsSpan().IndexOfAny('\r', '\n', '\t') < 0 ? clean : string.Join(' ', clean.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Replaces what XML cannot carry (control characters, lone surrogates) with U+FFFD; tabs and text stay.</summary>
    public static string Clean(string text)
    {
        var span = text.AsSpan();
        var bad = false;
        for (var i = 0; i < span.Length && !bad; i++)
        {
            bad = IsBad(span, i);
        }

        if (!bad)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < span.Length; i++)
        {
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                builder.Append(span[i]).Append(span[++i]);
            }
            else
            {
                builder.Append(IsBad(span, i) ? '\uFFFD' : span[i]);
            }
        }

        return builder.ToString();

        static bool IsBad(ReadOnlySpan<char> s, int i)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c))
            {
                return i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]);
            }

            if (char.IsLowSurrogate(c))
            {
                return i == 0 || !char.IsHighSurrogate(s[i - 1]);
            }

            return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c is '\uFFFE' or '\uFFFF';
        }
    }

    private static void AppendRuns(A.Paragraph paragraph, TextRun run, int size, string color)
    {
        var text = run.Text;
        if (text.Length == 0)
        {
            return;
        }

        Script? current = null;
        var kana = false;
        var start = 0;
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var script = Scripts.Of(rune);
            if (script is { } s && current is { } c && s != c)
            {
                paragraph.Append(Run(text[start..index], c, kana, run.Bold, size, color));
                start = index;
                kana = false;
            }

            if (script is not null)
            {
                current = script;
            }

            kana |= Scripts.IsKana(rune.Value);
            index += rune.Utf16SequenceLength;

            // CJK sentences are tagged one by one: kana make a sentence Japanese, else it is Chinese.
            if (current == Script.Cjk && Scripts.EndsSentence(rune.Value))
            {
                paragraph.Append(Run(text[start..index], Script.Cjk, kana, run.Bold, size, color));
                start = index;
                kana = false;
                current = null;
            }
        }

        if (start < text.Length)
        {
            paragraph.Append(Run(text[start..], current ?? Script.Latin, kana, run.Bold, size, color));
        }
    }

    private static A.Run Run(string text, Script script, bool kana, bool bold, int size, string color)
    {
        var properties = new A.RunProperties(new A.SolidFill(new A.RgbColorModelHex { Val = color }))
        {
            Language = Scripts.Language(script, kana),
            FontSize = size,
            Dirty = false,
        };
        if (script != Script.Latin)
        {
            properties.AlternativeLanguage = "en-US";
        }

        if (bold)
        {
            properties.Bold = true;
        }

        switch (script)
        {
            case Script.Cjk or Script.Hangul:
                properties.Append(new A.EastAsianFont { Typeface = "+mn-ea" });
                break;
            case Script.Arabic or Script.Hebrew:
                properties.Append(new A.ComplexScriptFont { Typeface = "+mn-cs" }, new A.RightToLeft());
                break;
        }

        return new A.Run(properties, new A.Text(text));
    }

    private static P.NonVisualShapeProperties NonVisual(uint id, string name, P.PlaceholderValues type, uint? index)
    {
        var placeholder = new P.PlaceholderShape { Type = type };
        if (index is { } i)
        {
            placeholder.Index = i;
        }

        return new P.NonVisualShapeProperties(
            new P.NonVisualDrawingProperties { Id = id, Name = name },
            new P.NonVisualShapeDrawingProperties(new A.ShapeLocks { NoGrouping = true }),
            new P.ApplicationNonVisualDrawingProperties(placeholder));
    }

    private static A.BodyProperties BodyProperties(A.TextAnchoringTypeValues anchor, long insetX = Geometry.InsetX, long insetY = Geometry.InsetY) =>
        new(new A.NoAutoFit())
        {
            Wrap = A.TextWrappingValues.Square,
            LeftInset = (int)insetX,
            RightInset = (int)insetX,
            TopInset = (int)insetY,
            BottomInset = (int)insetY,
            Anchor = anchor,
            RightToLeftColumns = false,
        };

    private static A.Transform2D Transform(Box box) =>
        new(new A.Offset { X = box.X, Y = box.Y }, new A.Extents { Cx = box.Width, Cy = box.Height });

    private static T Border<T>(string? color)
        where T : A.LinePropertiesType, new()
    {
        var line = new T { Width = color is null ? 0 : 9525 };
        line.Append(color is null ? new A.NoFill() : new A.SolidFill(new A.RgbColorModelHex { Val = color }));
        return line;
    }
}
