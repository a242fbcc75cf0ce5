namespace ContentAgent.Delivery.Packaging.Html;

/// <summary>
/// The summary's stylesheet, inlined in the page. Colours come from custom properties the renderer sets from the brand
/// (already contrast-checked); print needs no backgrounds, so nothing that carries meaning is drawn with one there.
/// </summary>
internal static class HtmlSummaryStyles
{
    /// <summary>The system font stack used when no custom font is configured (no 700 KB of DejaVu Sans inlined).</summary>
    public const string SystemFonts = "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans\", \"Helvetica Neue\", Arial, \"DejaVu Sans\", sans-serif, \"Apple Color Emoji\", \"Segoe UI Emoji\", \"Noto Color Emoji\"";

    /// <summary>The name a configured font is declared under in <c>@font-face</c> (the font's own name never enters the CSS).</summary>
    public const string BrandFont = "ContentAgent Brand";

    public const string Sheet = """
        *,*::before,*::after{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
        body{margin:0;font-family:var(--font);font-size:1rem;line-height:1.55;color:#1a1a1a;background:#fff}
        .page{max-width:64rem;margin:0 auto;padding:0 1.5rem 3rem}
        .cover{background:var(--brand);color:var(--on-brand);padding:2rem 0 1.75rem}
        .cover .page{padding-bottom:0}
        .brand-line{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem 1rem;margin:0}
        .logo{display:block;max-height:3.5rem;max-width:12rem;width:auto;height:auto;background:#fff;padding:.35rem;border-radius:.35rem}
        .agency{font-weight:700;letter-spacing:.05em;text-transform:uppercase;font-size:.85rem;overflow-wrap:anywhere}
        h1{font-size:2.25rem;line-height:1.2;margin:1rem 0 .5rem;overflow-wrap:anywhere}
        .meta{margin:0;overflow-wrap:anywhere}
        .meta time{white-space:nowrap}
        h2{color:var(--brand-text);font-size:1.5rem;line-height:1.3;margin:2.5rem 0 1rem;padding-bottom:.35rem;border-bottom:3px solid var(--accent)}
        h3{font-size:1.15rem;line-height:1.35;margin:0;overflow-wrap:anywhere}
        a{color:var(--brand-text)}
        .toc{margin:1.5rem 0 0}
        .toc ol{display:flex;flex-wrap:wrap;gap:.35rem 1.25rem;margin:0;padding:0;list-style:none}
        .cover a{color:inherit}
        .stats{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:1rem;margin:0}
        .stat{border:1px solid #d0d4da;border-top:4px solid var(--accent);border-radius:.5rem;padding:.75rem 1rem;min-width:0}
        .stat dt{font-size:.85rem;color:#4a4f57}
        .stat dd{margin:0;font-size:1.6rem;font-weight:700;line-height:1.3;color:var(--brand-text);overflow-wrap:anywhere}
        .stat .note{display:block;font-size:.85rem;font-weight:400;color:#4a4f57}
        figure{margin:0}
        .chart{display:block;width:100%;height:auto}
        .chart .grid{stroke:#d0d4da;stroke-width:1}
        .chart .axis{stroke:#6b7079;stroke-width:1}
        .chart .bar{fill:var(--brand-text)}
        .chart .avg{stroke:var(--accent-text);stroke-width:2.5;stroke-dasharray:8 5}
        .chart text{font-family:var(--font);font-size:13px;fill:#4a4f57}
        figcaption{font-size:.9rem;color:#4a4f57;margin-top:.5rem}
        .key{display:inline-block;width:1.5rem;vertical-align:middle;border-top:3px dashed var(--accent-text);margin-right:.35rem}
        .table-wrap{overflow-x:auto}
        table{border-collapse:collapse;width:100%}
        caption{text-align:left;font-weight:700;padding:.25rem 0 .5rem;color:#1a1a1a}
        th,td{text-align:left;vertical-align:top;padding:.5rem .6rem;border-bottom:1px solid #d0d4da;overflow-wrap:break-word}
        tbody th[scope=row]{white-space:nowrap}
        thead th{background:var(--tint);font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;overflow-wrap:normal}
        .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        .topic{font-weight:700}
        .detail{display:block;font-size:.85rem;color:#4a4f57}
        .platform-intro{color:#4a4f57;margin:-.25rem 0 1rem}
        .post{border:1px solid #d0d4da;border-left:5px solid var(--accent);border-radius:.5rem;padding:1rem 1.25rem;margin:0 0 1.25rem}
        .post-head{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.35rem 1rem}
        .badge{display:inline-block;background:var(--brand);color:var(--on-brand);border-radius:999px;padding:.1rem .7rem;font-weight:700;white-space:nowrap}
        .angle{margin:.25rem 0 .75rem;color:#4a4f57;overflow-wrap:anywhere}
        .post-text{white-space:pre-wrap;overflow-wrap:anywhere;margin:0 0 1rem;font-size:1.05rem}
        .breakdown caption{font-size:.9rem}
        .breakdown th,.breakdown td{font-size:.92rem;padding:.35rem .5rem}
        .breakdown .criterion{white-space:nowrap}
        .meter{display:block;width:4rem;height:.45rem;margin-top:.3rem;margin-left:auto;background:#e3e6ea;border-radius:.25rem;overflow:hidden}
        .meter span{display:block;height:100%;background:var(--accent-text)}
        .learnings ul{margin:.25rem 0 1.25rem;padding-left:1.25rem}
        .learnings li{margin:.35rem 0;overflow-wrap:anywhere}
        footer{border-top:1px solid #d0d4da;margin-top:3rem;padding-top:1rem;font-size:.85rem;color:#4a4f57;overflow-wrap:anywhere}
        @media (max-width:40rem){
        .page{padding:0 1rem 2rem}
        .cover{padding:1.25rem 0 1.25rem}
        h1{font-size:1.65rem}
        h2{font-size:1.3rem;margin-top:2rem}
        .stats{grid-template-columns:repeat(2,minmax(0,1fr));gap:.6rem}
        .stat{padding:.6rem .7rem}
        .stat dd{font-size:1.3rem}
        .chart text{font-size:26px}
        .chart .minor{display:none}
        th,td{padding:.4rem .3rem}
        .posts-table{font-size:.9rem}
        .post{padding:.75rem .65rem .75rem .75rem;border-left-width:4px}
        .post-text{font-size:1rem}
        .breakdown .criterion{white-space:normal}
        .breakdown th,.breakdown td{padding:.35rem .25rem;font-size:.88rem}
        .meter{width:2.5rem}
        }
        @media print{
        @page{margin:16mm 14mm}
        body{font-size:10.5pt;background:none;color:#000}
        .page{max-width:none;padding:0}
        .cover{background:none;color:#000;padding:0 0 5mm;border-bottom:2pt solid var(--accent)}
        .cover h1{color:var(--brand-text)}
        .logo{padding:0}
        .toc{display:none}
        .major{break-before:page}
        h2,h3,caption,.post-head{break-after:avoid}
        .post,.stat,figure,tr{break-inside:avoid}
        .badge{background:none;color:var(--brand-text);border:1pt solid var(--brand-text)}
        thead th{background:none;border-bottom:1.5pt solid #000}
        thead{display:table-header-group}
        .table-wrap{overflow:visible}
        a{color:inherit;text-decoration:none}
        h2{margin:7mm 0 3mm}
        .post{padding:3mm 4mm;margin:0 0 4mm;border-left-width:3pt}
        .post-text{margin:0 0 2mm}
        .breakdown caption{font-size:9pt;padding:0 0 1mm}
        .breakdown th,.breakdown td{font-size:8.5pt;padding:1pt 4pt}
        .meter{display:inline-block;vertical-align:middle;width:12mm;margin:0 0 0 2mm;background:none;border:.5pt solid #6b7079;height:auto}
        .meter span{background:none;height:0;border-top:4pt solid var(--accent-text)}
        footer{margin-top:8mm}
        }
        """;
}
