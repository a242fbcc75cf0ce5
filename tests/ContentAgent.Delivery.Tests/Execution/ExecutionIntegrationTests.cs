using System.Diagnostics;
using ContentAgent.Batches;
using ContentAgent.Delivery.Execution;
using ContentAgent.Storage;
using ContentAgent.Tests.Delivery.Packaging;
using ContentAgent.Tests.Servers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ContentAgent.Tests.Delivery.Execution;

/// <summary>The executor with the real gateways: a real SMTP server and a local HTTP API server, both on 127.0.0.1.</summary>
public sealed class ExecutionIntegrationTests : IAsyncLifetime
{
    private const string SmtpPassword = "smtp-pass-9c0ffee";
    private const string WebhookToken = "webhook-token-4242";
    private LocalSmtpServer _smtp = null!;
    private LocalHttpApiServer _http = null!;

    public async Task InitializeAsync()
    {
        _smtp = await LocalSmtpServer.StartAsync(new LocalSmtpServerOptions { UserName = "mailer", Password = SmtpPassword });
        _http = await LocalHttpApiServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _smtp.DisposeAsync();
        await _http.DisposeAsync();
    }

    private ServiceProvider Services(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["EXECUTION_ENABLED"] = "true",
            ["EXECUTION_DRY_RUN"] = "false",
            ["EXECUTION_CHANNELS"] = "email,social,crm",
            ["ContentAgent:Execution:RetryBaseDelay"] = "00:00:00.010",
            ["ContentAgent:Execution:SendTimeout"] = "00:00:02",
            ["ContentAgent:Execution:Email:Host"] = _smtp.Host,
            ["ContentAgent:Execution:Email:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ContentAgent:Execution:Email:Tls"] = "None",
            ["ContentAgent:Execution:Email:UserName"] = "mailer",
            ["ContentAgent:Execution:Email:Password"] = SmtpPassword,
            ["ContentAgent:Execution:Email:From"] = "\"Contoso\" <news@contoso.test>",
            ["ContentAgent:Execution:Email:To:0"] = "ana@example.test",
            ["ContentAgent:Execution:Email:To:1"] = "ben@example.test",
            ["ContentAgent:Execution:Social:Endpoint"] = _http.WebhookUri("social").ToString(),
            ["ContentAgent:Execution:Social:AccessToken"] = WebhookToken,
            ["ContentAgent:Execution:Crm:Endpoint"] = _http.WebhookUri("crm").ToString(),
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)).AddFakeLogging();
        services.AddContentAgent().AddDelivery().ConfigureExecution(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    private static async Task<BatchResult> StoredBatchAsync(IServiceProvider services, int posts)
    {
        var batch = await PackageSamples.OfflineBatchAsync(posts, $"20261123-140000-{posts:D4}");
        await services.GetRequiredService<IBatchStore>().SavePlanAsync(batch.Plan);
        return batch;
    }

    [Fact]
    public async Task Execute_AllChannels_DeliversEveryItemOnceAndARerunSendsNothing()
    {
        await using var services = Services();
        var batch = await StoredBatchAsync(services, 3);
        var executor = services.GetRequiredService<IPlanExecutor>();

        var report = await executor.ExecuteAsync(batch);
        var again = await executor.ExecuteAsync(batch);

        Assert.Equal(12, report.Sent); // 3 posts × (2 recipients + social + crm)
        await _smtp.WaitForMessagesAsync(6, TimeSpan.FromSeconds(10)); // the server reports what it stored on its own pipe
        await _smtp.SettleAsync(); // and nothing more (the re-run) is on its way
        Assert.Equal(6, _smtp.Messages.Count);
        Assert.Equal(6, _smtp.Messages.Select(m => m.Key).Distinct().Count());
        Assert.All(_smtp.Messages, m => Assert.Equal("mailer", m.User));
        Assert.Equal(6, _http.Created.Count);
        Assert.All(_http.Requests, r => Assert.NotNull(r.Header("Idempotency-Key")));
        Assert.All(again.Items, i => Assert.Equal(ExecutionOutcome.SkippedAlreadySent, i.Outcome));
        Assert.Equal(6, _smtp.Messages.Count);
        Assert.Equal(6, _http.Created.Count);
    }

    [Fact]
    public async Task Execute_ARejectedRecipientAndADeadChannel_AreReportEntriesWhileTheRestIsDelivered()
    {
        await _smtp.RejectRecipientAsync("ben@example.test");
        _http.FailNext("/webhook/social", 503, count: 1000);
        await using var services = Services();
        var batch = await StoredBatchAsync(services, 5);

        var report = await services.GetRequiredService<IPlanExecutor>().ExecuteAsync(batch);

        Assert.All(report.Items.Where(i => i.Item.Target == "ana@example.test" || i.Item.Channel == "crm"), i => Assert.Equal(ExecutionOutcome.Sent, i.Outcome));
        var ben = report.Items.Where(i => i.Item.Target == "ben@example.test").ToList();
        Assert.All(ben, i => Assert.Equal(ExecutionOutcome.Failed, i.Outcome));
        Assert.All(ben, i => Assert.Contains("ben@example.test", i.Error, StringComparison.Ordinal));
        Assert.All(ben, i => Assert.Equal(1, i.Attempts)); // a 550 is not retried
        var social = report.Items.Where(i => i.Item.Channel == "social").ToList();
        Assert.Equal(PlanExecutor.ChannelFailureThreshold, social.Count(i => i.Outcome == ExecutionOutcome.Failed));
        Assert.Equal(5 - PlanExecutor.ChannelFailureThreshold, social.Count(i => i.Outcome == ExecutionOutcome.SkippedChannelFailed));
        Assert.Contains(report.ChannelErrors["social"], e => e.Contains("503", StringComparison.Ordinal));
        await _smtp.WaitForMessagesAsync(5, TimeSpan.FromSeconds(10));
        await _smtp.SettleAsync();
        Assert.Equal(5, _smtp.Messages.Count);
        var ledger = await services.GetRequiredService<ISendLedger>().GetSendsAsync(new BatchKey(batch.Plan.TenantId, batch.Plan.PlanId));
        Assert.Equal(5 * 2 + 5 + PlanExecutor.ChannelFailureThreshold, ledger.Count); // items skipped for the channel were never begun
        Assert.Equal(10, ledger.Count(r => r.Status == SendStatus.Sent));
    }

    [Fact]
    public async Task Execute_AHangingEndpoint_TimesOutAndTheOtherChannelsGoOn()
    {
        _http.HangNext("/webhook/crm", count: 1000);
        // Long enough for an ordinary send on a busy machine (the timeout is per send, for every channel).
        await using var services = Services(("ContentAgent:Execution:SendTimeout", "00:00:01.500"), ("ContentAgent:Execution:MaxAttempts", "2"));
        var batch = await StoredBatchAsync(services, 1);

        var report = await services.GetRequiredService<IPlanExecutor>().ExecuteAsync(batch);

        var crm = report.Items.Single(i => i.Item.Channel == "crm");
        Assert.Equal(ExecutionOutcome.Failed, crm.Outcome);
        Assert.Contains("Timed out", crm.Error, StringComparison.Ordinal);
        Assert.Equal(2, crm.Attempts);
        Assert.Equal(3, report.Sent);
    }

    [Fact]
    public async Task Execute_AuditEventsAndLogs_CarryNoSecretsAndNoBodiesAboveTrace()
    {
        var events = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "ContentAgent",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (events)
                {
                    events.AddRange(a.Events.Select(e => e.Name));
                    events.AddRange(a.Tags.Select(t => $"{t.Key}={t.Value}"));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var services = Services();
        var batch = await StoredBatchAsync(services, 2);

        var report = await services.GetRequiredService<IPlanExecutor>().ExecuteAsync(batch);

        Assert.Equal(8, report.Sent);
        lock (events)
        {
            Assert.Contains("execution.started", events);
            Assert.Contains("execution.item_sent", events);
            Assert.Contains("execution.completed", events);
            Assert.DoesNotContain(events, e => e.Contains(SmtpPassword, StringComparison.Ordinal) || e.Contains(WebhookToken, StringComparison.Ordinal));
        }

        var logs = services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, r => r.Message.StartsWith("execution.started", StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Message.StartsWith("execution.completed", StringComparison.Ordinal));
        Assert.All(logs, r => Assert.DoesNotContain(SmtpPassword, $"{r.Message} {r.Exception}", StringComparison.Ordinal));
        Assert.All(logs, r => Assert.DoesNotContain(WebhookToken, $"{r.Message} {r.Exception}", StringComparison.Ordinal));
        var body = batch.Posts[0].Text!;
        Assert.All(logs.Where(r => r.Level > LogLevel.Trace), r => Assert.DoesNotContain(body, r.Message, StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Level == LogLevel.Trace && r.Message.Contains(body, StringComparison.Ordinal));
        Assert.DoesNotContain(report.Items, i => (i.Error ?? string.Empty).Contains(SmtpPassword, StringComparison.Ordinal));
    }
}
