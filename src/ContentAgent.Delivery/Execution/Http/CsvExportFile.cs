using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace ContentAgent.Delivery.Execution.Http;

/// <summary>
/// The CSV a CRM imports: one row per item, header <c>key,plan_id,post_index,platform,scheduled_at,subject,text</c>, UTF-8
/// without a byte order mark, RFC 4180; text that a spreadsheet would run as a formula starts with an apostrophe. Rewritten whole through a temporary file and a move, so a reader never sees half a
/// file; an item whose key is already in the file is not added again. Writes to one path take turns within the process.
/// </summary>
internal static class CsvExportFile
{
    public static readonly IReadOnlyList<string> Header = ["key", "plan_id", "post_index", "platform", "scheduled_at", "subject", "text"];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates =
        new(OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    /// <summary>Adds the item unless its key is there; calls <paramref name="committing"/> just before writing (or before answering, when it is there).</summary>
    /// <returns>Whether the item was added.</returns>
    public static async Task<bool> AddAsync(string path, ExecutionItem item, Func<CancellationToken, Task> committing, Func<string, GatewayException> notOurs, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? throw notOurs("is not a file path");
        var gate = Gates.GetOrAdd(fullPath, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(directory);
            var existing = File.Exists(fullPath) ? await File.ReadAllTextAsync(fullPath, Utf8, cancellationToken).ConfigureAwait(false) : string.Empty;
            var records = CsvFormat.Parse(existing);
            if (records.Count > 0 && !records[0].SequenceEqual(Header, StringComparer.Ordinal))
            {
                throw notOurs($"holds a file whose first row is not the header {string.Join(',', Header)}; it is left as it is");
            }

            if (records.Skip(1).Any(r => string.Equals(r[0], item.Key, StringComparison.Ordinal)))
            {
                await committing(cancellationToken).ConfigureAwait(false);
                return false;
            }

            var text = new StringBuilder(existing.Length + item.Text.Length + 256);
            if (records.Count == 0)
            {
                CsvFormat.AppendRecord(text, Header);
            }
            else
            {
                text.Append(existing);
                if (!existing.EndsWith('\n') && !existing.EndsWith('\r'))
                {
                    text.Append("\r\n");
                }
            }

            CsvFormat.AppendRecord(text,
            [
                item.Key,
                item.PlanId,
                item.PostIndex.ToString(CultureInfo.InvariantCulture),
                CsvFormat.Text(item.Platform),
                HttpApiShapes.Iso(item.ScheduledAt),
                CsvFormat.Text(item.Subject),
                CsvFormat.Text(item.Text),
            ]);

            await committing(cancellationToken).ConfigureAwait(false);

            // Committed: the write is not cancelled half-way (it is short, and atomic either way).
            await AtomicFile.WriteAsync(directory, Path.GetFileName(fullPath), Utf8.GetBytes(text.ToString()), CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }
}
