using Microsoft.Extensions.Logging;

namespace ContentAgent.Delivery.Execution.Http;

/// <summary>The HTTP and CSV gateways' log messages (event ids 140–149). No token and no post text, at any level.</summary>
internal static partial class HttpGatewayLog
{
    [LoggerMessage(EventId = 140, EventName = "HttpGatewaySent", Level = LogLevel.Debug, Message = "The {Channel} gateway ({Kind}) sent item {Key}: {StatusCode} in {DurationMs} ms, provider id {ProviderId}.")]
    public static partial void Sent(ILogger logger, string channel, string kind, string key, int statusCode, long durationMs, string? providerId);

    [LoggerMessage(EventId = 141, EventName = "HttpGatewayFailed", Level = LogLevel.Debug, Message = "The {Channel} gateway ({Kind}) could not send item {Key} (transient: {IsTransient}): {Reason}")]
    public static partial void Failed(ILogger logger, string channel, string kind, string key, bool isTransient, string reason);

    [LoggerMessage(EventId = 142, EventName = "HttpGatewayCsvAdded", Level = LogLevel.Debug, Message = "The {Channel} gateway (csv) added item {Key} to {Path}.")]
    public static partial void CsvAdded(ILogger logger, string channel, string key, string path);

    [LoggerMessage(EventId = 143, EventName = "HttpGatewayCsvAlreadyThere", Level = LogLevel.Debug, Message = "The {Channel} gateway (csv) found item {Key} already in {Path}; not added again.")]
    public static partial void CsvAlreadyThere(ILogger logger, string channel, string key, string path);
}
