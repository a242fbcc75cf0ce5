using System.Runtime.InteropServices;

namespace ContentAgent.Delivery.Packaging.Pdf;

/// <summary>
/// Cuts a TrueType font down to the glyphs a document draws, with HarfBuzz's subsetter (<c>hb_subset</c>, exported by the
/// HarfBuzzSharp native library but not wrapped by it). Skia's PDF backend, as SkiaSharp builds it, embeds the whole font
/// program (DejaVu Sans is 740 KB), so the renderer hands Skia the subset instead. Glyph ids are kept (<c>RETAIN_GIDS</c>),
/// so text shaped with the full font draws unchanged with the subset. Any failure answers <see langword="null"/> and the
/// full font is embedded.
/// </summary>
internal static class FontSubsetter
{
    private const string Library = "libHarfBuzzSharp";
    private const uint NoHinting = 0x1;
    private const uint RetainGlyphIds = 0x2;
    private const int DropTableTags = 3;

    /// <summary>Returns the subset font's bytes, or <see langword="null"/> when the subsetter is unavailable or fails.</summary>
    /// <param name="face">The <c>hb_face_t</c> of the full font.</param>
    /// <param name="glyphs">The glyph ids to keep.</param>
    /// <param name="codepoints">The characters to keep in the character map (text extraction maps glyphs back through it).</param>
    public static byte[]? Subset(IntPtr face, IEnumerable<ushort> glyphs, IEnumerable<int> codepoints)
    {
        try
        {
            return SubsetCore(face, glyphs, codepoints);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return null;
        }
    }

    private static byte[]? SubsetCore(IntPtr face, IEnumerable<ushort> glyphs, IEnumerable<int> codepoints)
    {
        var input = NativeMethods.hb_subset_input_create_or_fail();
        if (input == IntPtr.Zero)
        {
            return null;
        }

        IntPtr subset;
        try
        {
            var glyphSet = NativeMethods.hb_subset_input_glyph_set(input);
            foreach (var glyph in glyphs)
            {
                NativeMethods.hb_set_add(glyphSet, glyph);
            }

            var unicodeSet = NativeMethods.hb_subset_input_unicode_set(input);
            foreach (var codepoint in codepoints)
            {
                NativeMethods.hb_set_add(unicodeSet, (uint)codepoint);
            }

            // Shaping is done on the full font: the PDF needs outlines, metrics and the character map, not layout tables.
            var dropTables = NativeMethods.hb_subset_input_set(input, DropTableTags);
            foreach (var table in (ReadOnlySpan<string>)["GSUB", "GPOS", "GDEF", "kern", "morx", "JSTF", "BASE", "MATH"])
            {
                NativeMethods.hb_set_add(dropTables, Tag(table));
            }

            NativeMethods.hb_subset_input_set_flags(input, NoHinting | RetainGlyphIds);
            subset = NativeMethods.hb_subset_or_fail(face, input);
        }
        finally
        {
            NativeMethods.hb_subset_input_destroy(input);
        }

        if (subset == IntPtr.Zero)
        {
            return null;
        }

        var blob = NativeMethods.hb_face_reference_blob(subset);
        try
        {
            var length = NativeMethods.hb_blob_get_length(blob);
            var data = NativeMethods.hb_blob_get_data(blob, IntPtr.Zero);
            if (data == IntPtr.Zero || length == 0)
            {
                return null;
            }

            var bytes = new byte[length];
            Marshal.Copy(data, bytes, 0, (int)length);
            return bytes;
        }
        finally
        {
            NativeMethods.hb_blob_destroy(blob);
            NativeMethods.hb_face_destroy(subset);
        }
    }

    private static uint Tag(string tag) => ((uint)tag[0] << 24) | ((uint)tag[1] << 16) | ((uint)tag[2] << 8) | tag[3];

    private static class NativeMethods
    {
        [DllImport(Library, ExactSpelling = true)]
        public static extern IntPtr hb_subset_input_create_or_fail();

        [DllImport(Library, ExactSpelling = true)]
        public static extern IntPtr hb_subset_input_glyph_set(IntPtr input);

        [DllImport(Library, ExactSpelling = true)]
        public static extern IntPtr hb_subset_input_unicode_set(IntPtr input);

        [DllImport(Library, ExactSpelling = true)]
        public static extern IntPtr hb_subset_input_set(IntPtr input, int setType);

        [DllImport(Library, ExactSpelling = true)]
        public static extern void hb_subset_input_set_flags(IntPtr input, uint flags);

        [DllImport(Library, ExactSpelling = true)]
        public static extern void hb_subset_input_destroy(IntPtr input);

        [DllImport(Library, ExactSpelling = true)]
        public static extern void hb_set_add(IntPtr set, uint codepoint);

        [DllImport(Library, ExactSpelling = true)]
        public static extern IntPtr hb_subset_or_fail(IntPtr face, IntPtr input);

        [DllImport(Library, ExactSpelling = true)]
        public static extern IntPtr hb_face_reference_blob(IntPtr face);

        [DllImport(Library, ExactSpelling = true)]
        public static extern void hb_face_destroy(IntPtr face);

        [DllImport(Library, ExactSpelling = true)]
        public static extern IntPtr hb_blob_get_data(IntPtr blob, IntPtr length);

        [DllImport(Library, ExactSpelling = true)]
        public static extern uint hb_blob_get_length(IntPtr blob);

        [DllImport(Library, ExactSpelling = true)]
        public static extern void hb_blob_destroy(IntPtr blob);
    }
}
