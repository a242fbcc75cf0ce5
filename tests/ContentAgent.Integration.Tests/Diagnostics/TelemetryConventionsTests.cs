using System.Diagnostics;
using System.Reflection;
using ContentAgent.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ContentAgent.Tests.Integration.Diagnostics;

/// <summary>Telemetry exists once across the packages: one event id and one event name per log message, one activity source.</summary>
public sealed class TelemetryConventionsTests
{
    /// <summary>Every shipped ContentAgent assembly this solution builds.</summary>
    internal static readonly string[] Packages = ["ContentAgent.Core", "ContentAgent.Delivery"];

    [Fact]
    public void LogMessages_HaveUniqueEventIdsAndEventNames_AcrossEveryPackage()
    {
        var messages = Packages
            .Select(Assembly.Load)
            .SelectMany(static a => a.GetTypes())
            .SelectMany(static t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(static m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(static m => m.Attribute is not null)
            .ToList();

        Assert.True(messages.Count > 30, $"only {messages.Count} log messages found");
        Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m.Attribute!.EventName), $"{m.Method} has no EventName"));
        var repeatedIds = messages.GroupBy(static m => m.Attribute!.EventId).Where(static g => g.Count() > 1).Select(static g => $"{g.Key}: {string.Join(", ", g.Select(static m => m.Method))}").ToList();
        Assert.True(repeatedIds.Count == 0, "event ids used twice: " + string.Join("; ", repeatedIds));
        var repeatedNames = messages.GroupBy(static m => m.Attribute!.EventName, StringComparer.Ordinal).Where(static g => g.Count() > 1).Select(static g => g.Key).ToList();
        Assert.True(repeatedNames.Count == 0, "event names used twice: " + string.Join(", ", repeatedNames));
    }

    [Fact]
    public void ActivitySource_IsOneInstance_NamedContentAgent()
    {
        var sources = Packages
            .Select(Assembly.Load)
            .SelectMany(static a => a.GetTypes())
            .SelectMany(static t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(static f => f.FieldType == typeof(ActivitySource))
            .Select(static f => $"{f.DeclaringType!.FullName}.{f.Name}")
            .ToList();

        Assert.Equal([typeof(ContentAgentTelemetry).Namespace + ".Telemetry.ActivitySource"], sources);
        Assert.Equal("ContentAgent", ContentAgentTelemetry.Name);
    }
}
