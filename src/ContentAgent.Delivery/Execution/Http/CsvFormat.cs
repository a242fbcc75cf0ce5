using System.Text;

namespace ContentAgent.Delivery.Execution.Http;

/// <summary>RFC 4180 CSV: fields quoted when they hold a comma, a quote, a line break or surrounding space; records end with CRLF.</summary>
internal static class CsvFormat
{
    /// <summary>
    /// A text cell a spreadsheet will not run: a field that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a
    /// carriage return is a formula to Excel and LibreOffice (CSV injection, as OWASP describes it), so it gets a leading
    /// apostrophe, which they show as text.
    /// </summary>
    public static string Text(string field) =>
        field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + field : field;

    /// <summary>Appends one record, ended by CRLF.</summary>
    public static StringBuilder AppendRecord(StringBuilder builder, IEnumerable<string> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            if (NeedsQuotes(field))
            {
                builder.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                builder.Append(field);
            }
        }

        return builder.Append("\r\n");
    }

    /// <summary>Reads every record (CRLF or LF line ends; quoted fields may hold line breaks; blank lines are skipped).</summary>
    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var started = false;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            started = false;
        }

        void EndRecord()
        {
            EndField();
            if (fields.Count > 1 || fields[0].Length > 0)
            {
                records.Add([.. fields]);
            }

            fields.Clear();
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }

                continue;
            }

            switch (c)
            {
                case '"' when !started:
                    quoted = true;
                    started = true;
                    break;
                case ',':
                    EndField();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                case '\r':
                    EndRecord();
                    break;
                default:
                    field.Append(c);
                    started = true;
                    break;
            }
        }

        if (started || fields.Count > 0 || field.Length > 0)
        {
            EndRecord();
        }

        return records;
    }

    private static bool NeedsQuotes(string field) =>
        field.Length > 0 && (field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || char.IsWhiteSpace(field[0]) || char.IsWhiteSpace(field[^1]));
}
