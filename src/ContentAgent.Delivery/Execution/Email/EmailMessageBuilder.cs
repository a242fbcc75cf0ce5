using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using MimeKit;
using MimeKit.Text;

namespace ContentAgent.Delivery.Execution.Email;

/// <summary>Builds the email of an execution item: a text and an HTML alternative of the post, with deterministic ids.</summary>
internal static partial class EmailMessageBuilder
{
    /// <summary>The header carrying the item's idempotency key.</summary>
    public const string KeyHeader = "X-ContentAgent-Key";

    /// <summary>The header carrying the item's schedule time (ISO 8601).</summary>
    public const string ScheduledHeader = "X-ContentAgent-Scheduled";

    private const string MessageIdDomain = "contentagent";

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Builds the message; its body runs <paramref name="hook"/> just before the final dot.</summary>
    /// <param name="item">The item.</param>
    /// <param name="from">The sender.</param>
    /// <param name="to">The recipient.</param>
    /// <param name="subjectPrefix">Text put before the subject, if any.</param>
    /// <param name="date">The <c>Date</c> header.</param>
    /// <param name="hook">The commit hook.</param>
    /// <returns>The message.</returns>
    public static MimeMessage Build(ExecutionItem item, MailboxAddress from, MailboxAddress to, string? subjectPrefix, DateTimeOffset date, CommitHook hook)
    {
        var text = new TextPart(TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        text.SetText(Encoding.UTF8, item.Text);
        var html = new TextPart(TextFormat.Html) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        html.SetText(Encoding.UTF8, ToHtml(item.Text, Subject(subjectPrefix, item.Subject)));

        var message = new MimeMessage
        {
            Subject = Subject(subjectPrefix, item.Subject),
            Date = date,
            MessageId = MessageId(item.Key),
            Body = new CommittingAlternative(hook) { text, html },
        };
        message.From.Add(from);
        message.To.Add(to);
        message.Headers.Add(KeyHeader, item.Key);
        message.Headers.Add(ScheduledHeader, item.ScheduledAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        return message;
    }

    /// <summary>Gets the subject: the prefix, a space, the item's subject, on one line.</summary>
    public static string Subject(string? prefix, string subject)
    {
        var line = OneLine(subject);
        return string.IsNullOrWhiteSpace(prefix) ? line : $"{OneLine(prefix)} {line}";
    }

    /// <summary>
    /// Gets the <c>Message-ID</c> (without its angle brackets) of a key: <c>{key}@contentagent</c> when the key is a valid
    /// left part of a message id (an RFC 5322 dot-atom of at most 64 characters), else <c>{first 32 hex digits of its SHA-256}@contentagent</c>.
    /// Either way the same key always gives the same id.
    /// </summary>
    public static string MessageId(string key)
    {
        var left = key.Length <= 64 && DotAtom().IsMatch(key) ? key : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
        return $"{left}@{MessageIdDomain}";
    }

    /// <summary>Gets the HTML alternative: the text encoded, paragraphs on blank lines, line breaks as <c>&lt;br&gt;</c>.</summary>
    public static string ToHtml(string text, string title)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(Encoder.Encode(title))
            .Append("</title>\n</head>\n<body>\n");
        foreach (var paragraph in BlankLines().Split(text.ReplaceLineEndings("\n").Trim('\n')))
        {
            if (string.IsNullOrWhiteSpace(paragraph))
            {
                continue;
            }

            html.Append("<p dir=\"auto\">");
            var first = true;
            foreach (var line in paragraph.Split('\n'))
            {
                if (!first)
                {
                    html.Append("<br>\n");
                }

                html.Append(Encoder.Encode(line));
                first = false;
            }

            html.Append("</p>\n");
        }

        return html.Append("</body>\n</html>\n").ToString();
    }

    private static string OneLine(string text) => LineBreaks().Replace(text.Trim(), " ");

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")]
    private static partial Regex DotAtom();

    [GeneratedRegex(@"\n[ \t]*\n[\s]*")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"\s*[\r\n]+\s*")]
    private static partial Regex LineBreaks();
}
