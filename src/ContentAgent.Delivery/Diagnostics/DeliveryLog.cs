using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ContentAgent.Delivery.Diagnostics;

/// <summary>Delivery's log messages (event ids from 100) and its activity source, named <c>ContentAgent</c> like the core's.</summary>
internal static partial class DeliveryLog
{
    public static readonly ActivitySource ActivitySource = new("ContentAgent", typeof(DeliveryLog).Assembly.GetName().Version?.ToString(3));

    [LoggerMessage(100, LogLevel.Information, "Package of batch {PlanId}: {Files} file(s) in {Directory}, {Errors} error(s), in {DurationMs} ms.")]
    public static partial void Packaged(ILogger logger, string planId, int files, string directory, int errors, long durationMs);

    [LoggerMessage(101, LogLevel.Warning, "Package of batch {PlanId}: {Source} failed: {Reason}")]
    public static partial void PackageError(ILogger logger, string planId, string source, string reason);
}
