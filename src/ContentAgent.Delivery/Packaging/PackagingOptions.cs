using System.ComponentModel.DataAnnotations;

namespace ContentAgent.Delivery.Packaging;

/// <summary>How client packages look, bound from <c>ContentAgent:Packaging</c>.</summary>
public sealed class PackagingOptions
{
    /// <summary>The configuration section, under <c>ContentAgent</c>, the options bind from.</summary>
    public const string SectionName = "Packaging";

    /// <summary>Gets or sets the agency that delivers the package (cover, headers, metadata author).</summary>
    /// <value>The default value is <c>"ContentAgent"</c>.</value>
    [MaxLength(200)]
    public string AgencyName { get; set; } = "ContentAgent";

    /// <summary>Gets or sets the client the package is for.</summary>
    /// <value>The default value is <see langword="null"/> (no client named).</value>
    [MaxLength(200)]
    public string? ClientName { get; set; }

    /// <summary>Gets or sets the main colour, as <c>#RRGGBB</c> or <c>#RGB</c>.</summary>
    /// <value>The default value is <c>#1F3A5F</c>.</value>
    public string PrimaryColor { get; set; } = "#1F3A5F";

    /// <summary>Gets or sets the accent colour, as <c>#RRGGBB</c> or <c>#RGB</c>.</summary>
    /// <value>The default value is <c>#E07A1F</c>.</value>
    public string AccentColor { get; set; } = "#E07A1F";

    /// <summary>Gets or sets a PNG or JPEG logo for the cover, the title slide and the page header.</summary>
    /// <value>The default value is <see langword="null"/> (no logo).</value>
    public string? LogoPath { get; set; }

    /// <summary>Gets or sets a TrueType or OpenType font file for the text (embedded in the PDF and the HTML).</summary>
    /// <value>The default value is <see langword="null"/>: DejaVu Sans, which ships with ContentAgent.</value>
    public string? FontPath { get; set; }
}
