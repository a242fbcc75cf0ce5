using Microsoft.Extensions.Logging;

namespace ContentAgent.Delivery.Execution.Email;

/// <summary>The SMTP gateway's log messages (event ids 140 to 149). Never the password, never a message body.</summary>
internal static partial class SmtpLog
{
    [LoggerMessage(140, LogLevel.Debug, "Connected to the SMTP server {Endpoint} (TLS {Tls}, {Authentication}) in {DurationMs} ms.")]
    public static partial void Connected(ILogger logger, string endpoint, string tls, string authentication, long durationMs);

    [LoggerMessage(141, LogLevel.Debug, "Email {Key} sent to {Recipient} through {Endpoint} as {MessageId} in {DurationMs} ms ({Connection} connection).")]
    public static partial void Sent(ILogger logger, string key, string recipient, string endpoint, string messageId, long durationMs, string connection);

    [LoggerMessage(142, LogLevel.Warning, "Email {Key} to {Recipient} was not sent (transient: {Transient}, may have been delivered: {MayHaveBeenDelivered}): {Reason}")]
    public static partial void Failed(ILogger logger, string key, string recipient, bool transient, bool mayHaveBeenDelivered, string reason);

    [LoggerMessage(143, LogLevel.Debug, "The reused connection to the SMTP server {Endpoint} was closed ({Reason}); sending email {Key} over a new one.")]
    public static partial void Reconnecting(ILogger logger, string endpoint, string key, string reason);

    [LoggerMessage(144, LogLevel.Warning, "Email {Key} was sent through {Endpoint} but the commit hook never ran: MailKit no longer writes the message as expected, so the send was not recorded before the final dot.")]
    public static partial void HookDidNotRun(ILogger logger, string key, string endpoint);
}
