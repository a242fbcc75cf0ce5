using System.Diagnostics;
using ContentAgent.Batches;
using ContentAgent.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ContentAgent.Tests.Diagnostics;

public sealed class TelemetryTests
{
    [Fact]
    public async Task RunAsync_RecordsPostCountersAndBatchDuration()
    {
        using var client = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) => TestSupport.IndexOf(messages) == 2
                ? throw new InvalidOperationException("no")
                : Task.FromResult(TestSupport.Reply("A post with 3 ideas. Which one?")),
        };
        await using var services = TestSupport.Services(o => o.MaxAttempts = 1, s => s.AddSingleton<IChatClient>(client));
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var generated = new MetricCollector<long>(meterFactory, ContentAgentTelemetry.Name, "contentagent.posts.generated");
        using var failed = new MetricCollector<long>(meterFactory, ContentAgentTelemetry.Name, "contentagent.posts.failed");
        using var duration = new MetricCollector<double>(meterFactory, ContentAgentTelemetry.Name, "contentagent.batch.duration");

        await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(3));

        Assert.Equal(2, generated.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, failed.GetMeasurementSnapshot().EvaluateAsCounter());
        var batch = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal("CompletedWithFailures", batch.Tags["contentagent.batch.status"]);
    }

    [Fact]
    public async Task RunAsync_StartsABatchActivityWithOnePostActivityEach()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ContentAgentTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (activities) { activities.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var services = TestSupport.Services();

        await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(3, planId: "traced"));

        // Tests in other classes run at the same time and their activities reach this listener too: read a snapshot.
        List<Activity> stopped;
        lock (activities)
        {
            stopped = [.. activities];
        }

        var batch = Assert.Single(stopped, a => a.OperationName == "contentagent.batch" && (string?)a.GetTagItem("contentagent.plan_id") == "traced");
        var posts = stopped.Where(a => a.OperationName == "contentagent.post" && a.ParentSpanId == batch.SpanId).ToList();
        Assert.Equal(3, posts.Count);
    }

    [Fact]
    public async Task RunAsync_LogsFailuresAsWarningsAndPostTextOnlyAtTrace()
    {
        using var client = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) => TestSupport.IndexOf(messages) == 2
                ? throw new InvalidOperationException("model refused")
                : Task.FromResult(TestSupport.Reply("SECRET-ISH POST BODY. Agree?")),
        };
        await using var services = TestSupport.Services(o => o.MaxAttempts = 1, s => s.AddSingleton<IChatClient>(client).AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)).AddFakeLogging());
        var collector = services.GetFakeLogCollector();

        await services.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(3));

        var records = collector.GetSnapshot();
        var failure = Assert.Single(records, r => r.Id.Id == 4);
        Assert.Equal(LogLevel.Warning, failure.Level);
        Assert.Contains("model refused", failure.Message, StringComparison.Ordinal);
        Assert.Contains(records, r => r.Id.Id == 1 && r.Level == LogLevel.Information);
        Assert.Contains(records, r => r.Id.Id == 2 && r.Level == LogLevel.Information);
        Assert.All(records.Where(r => r.Level > LogLevel.Trace), r => Assert.DoesNotContain("SECRET-ISH", r.Message, StringComparison.Ordinal));
        Assert.Contains(records, r => r.Level == LogLevel.Trace && r.Message.Contains("SECRET-ISH", StringComparison.Ordinal));
    }
}
