using System.Text.Json;

namespace ContentAgent.Tests.Servers;

/// <summary>Where in an SMTP transaction a <see cref="LocalSmtpServer"/> fault strikes.</summary>
public enum SmtpStage
{
    /// <summary>The <c>MAIL FROM</c> command.</summary>
    MailFrom,

    /// <summary>Each <c>RCPT TO</c> command.</summary>
    RcptTo,

    /// <summary>The <c>DATA</c> command, before the server's 354: the client never sends the content.</summary>
    DataCommand,

    /// <summary>The end of the content: the whole message and its final dot arrived, the reply to the dot is next.</summary>
    EndOfData,
}

/// <summary>How a <see cref="LocalSmtpServer"/> behaves.</summary>
public sealed class LocalSmtpServerOptions
{
    /// <summary>When set (with <see cref="Password"/>), AUTH PLAIN/LOGIN is offered and required.</summary>
    public string? UserName { get; init; }

    /// <summary>The password <see cref="UserName"/> must give.</summary>
    public string? Password { get; init; }

    /// <summary>The size the server advertises with the SIZE extension (so clients measure messages first).</summary>
    public long MaxMessageSize { get; init; } = 10 * 1024 * 1024;
}

/// <summary>
/// One thing the server saw, in its order: <c>connect</c>, <c>auth</c>, <c>mail</c>, <c>rcpt</c>, <c>data-start</c>,
/// <c>data-chunk</c> (<c>bytes</c> so far), <c>message</c>, <c>data-refused</c>, <c>dropped</c>, <c>close</c>, <c>ack</c>,
/// <c>error</c>.
/// </summary>
/// <param name="Sequence">The server's counter: the order it saw things in.</param>
/// <param name="Type">What happened.</param>
/// <param name="Session">The connection's id, when it concerns one.</param>
/// <param name="At">When, by the server's clock.</param>
/// <param name="Data">The whole event as the server wrote it.</param>
public sealed record SmtpServerEvent(long Sequence, string Type, string? Session, DateTimeOffset At, JsonElement Data)
{
    /// <summary>Gets a string field of <see cref="Data"/>, or null.</summary>
    public string? GetString(string name) => Data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Gets a number field of <see cref="Data"/>, or null.</summary>
    public long? GetInt64(string name) => Data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    /// <summary>Gets a Boolean field of <see cref="Data"/>, or null.</summary>
    public bool? GetBoolean(string name) => Data.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}

/// <summary>A message the server stored (it had received the final dot and was about to answer 250).</summary>
/// <param name="Sequence">The server's event counter when it stored it.</param>
/// <param name="Session">The connection it came over.</param>
/// <param name="EnvelopeFrom">The <c>MAIL FROM</c> address.</param>
/// <param name="EnvelopeTo">The accepted <c>RCPT TO</c> addresses.</param>
/// <param name="User">The authenticated user, if any.</param>
/// <param name="MessageId">The <c>Message-ID</c> header, with its angle brackets.</param>
/// <param name="Subject">The decoded subject.</param>
/// <param name="HeaderFrom">The <c>From</c> header, decoded.</param>
/// <param name="HeaderTo">The <c>To</c> header, decoded.</param>
/// <param name="Date">The <c>Date</c> header, as ISO 8601 (UTC).</param>
/// <param name="ContentType">The top-level media type, for example <c>multipart/alternative</c>.</param>
/// <param name="Key">The <c>X-ContentAgent-Key</c> header.</param>
/// <param name="Scheduled">The <c>X-ContentAgent-Scheduled</c> header.</param>
/// <param name="Text">The decoded text/plain part.</param>
/// <param name="Html">The decoded text/html part.</param>
/// <param name="Size">The message's size in bytes as received (dots unstuffed, final dot excluded).</param>
/// <param name="Raw">The message as received.</param>
/// <param name="ReceivedAt">When the server stored it, by its clock.</param>
public sealed record SmtpReceivedMessage(
    long Sequence,
    string Session,
    string? EnvelopeFrom,
    IReadOnlyList<string> EnvelopeTo,
    string? User,
    string? MessageId,
    string? Subject,
    string? HeaderFrom,
    string? HeaderTo,
    string? Date,
    string? ContentType,
    string? Key,
    string? Scheduled,
    string? Text,
    string? Html,
    long Size,
    string Raw,
    DateTimeOffset ReceivedAt)
{
    internal static SmtpReceivedMessage From(SmtpServerEvent e)
    {
        var data = e.Data;
        var user = data.TryGetProperty("user", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        return new SmtpReceivedMessage(
            e.Sequence,
            e.Session ?? string.Empty,
            e.GetString("from"),
            [.. data.GetProperty("to").EnumerateArray().Select(static t => t.GetString() ?? string.Empty)],
            user,
            e.GetString("messageId"),
            e.GetString("subject"),
            e.GetString("headerFrom"),
            e.GetString("headerTo"),
            e.GetString("date"),
            e.GetString("contentType"),
            e.GetString("key"),
            e.GetString("scheduled"),
            e.GetString("text"),
            e.GetString("html"),
            e.GetInt64("size") ?? 0,
            e.GetString("raw") ?? string.Empty,
            DateTimeOffset.FromUnixTimeMilliseconds(e.GetInt64("receivedAt") ?? 0));
    }
}
