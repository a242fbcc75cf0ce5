using Microsoft.Extensions.Logging;

namespace ContentAgent.Delivery.Execution.Email;

/// <summary>The SMTP gateway's log messages (event ids 150 to 159). Never the password, never a message body.</summary>
internal static partial class SmtpLog
{
    [LoggerMessage(EventId = 150, EventName = "SmtpConnected", Level = LogLevel.Debug, Message = "Connected to the SMTP server {Endpoint} (TLS {Tls}, {Authentication}) in {DurationMs} ms.")]
    public static partial void Connected(ILogger logger, string endpoint, string tls, string authentication, long durationMs);

    [LoggerMessage(EventId = 151, EventName = "SmtpSent", Level = LogLevel.Debug, Message = "Email {Key} sent to {Recipient} through {Endpoint} as {MessageId} in {DurationMs} ms ({Connection} connection).")]
    public static partial void Sent(ILogger logger, string key, string recipient, string endpoint, string messageId, long durationMs, string connection);

    [LoggerMessage(EventId = 152, EventName = "SmtpFailed", Level = LogLevel.Warning, Message = "Email {Key} to {Recipient} was not sent (transient: {Transient}, may have been delivered: {MayHaveBeenDelivered}): {Reason}")]
    public static partial void Failed(ILogger logger, string key, string recipient, bool transient, bool mayHaveBeenDelivered, string reason);

    [LoggerMessage(EventId = 153, EventName = "SmtpReconnecting", Level = LogLevel.Debug, Message = "The reused connection to the SMTP server {Endpoint} was closed ({Reason}); sending email {Key} over a new one.")]
    public static partial void Reconnecting(ILogger logger, string endpoint, string key, string reason);

    [LoggerMessage(EventId = 154, EventName = "SmtpHookDidNotRun", Level = LogLevel.Warning, Message = "Email {Key} was sent through {Endpoint} but the commit hook never ran: MailKit no longer writes the message as expected, so the send was not recorded before the final dot.")]
    public static partial void HookDidNotRun(ILogger logger, string key, string endpoint);
}
