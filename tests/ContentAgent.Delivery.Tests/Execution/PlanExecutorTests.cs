using ContentAgent.Batches;
using ContentAgent.Delivery.Execution;
using ContentAgent.Storage;
using ContentAgent.Tests.Delivery.Packaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace ContentAgent.Tests.Delivery.Execution;

public sealed class PlanExecutorTests
{
    private static readonly Dictionary<string, string?> Enabled = new()
    {
        ["ContentAgent:Execution:Enabled"] = "true",
        ["ContentAgent:Execution:DryRun"] = "false",
        ["ContentAgent:Execution:RetryBaseDelay"] = "00:00:00.001",
        ["ContentAgent:Execution:Email:Host"] = "127.0.0.1",
        ["ContentAgent:Execution:Email:From"] = "news@contoso.com",
        ["ContentAgent:Execution:Email:To:0"] = "ana@example.com",
        ["ContentAgent:Execution:Email:To:1"] = "ben@example.com",
        ["ContentAgent:Execution:Social:Endpoint"] = "http://127.0.0.1:9/webhook/social",
    };

    private static (ServiceProvider Services, IBatchStore Store) Build(IDictionary<string, string?> settings, params FakeGateway[] gateways)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)).AddFakeLogging();
        services.AddContentAgent().AddDelivery().ConfigureExecution(configuration);
        foreach (var gateway in gateways)
        {
            services.AddSingleton<IExecutionGateway>(gateway);
        }

        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<IBatchStore>());
    }

    private static async Task<BatchResult> StoredBatchAsync(IBatchStore store, int posts = 3)
    {
        var batch = await PackageSamples.OfflineBatchAsync(posts, $"20261123-130000-{posts:D4}");
        await store.SavePlanAsync(batch.Plan);
        return batch;
    }

    private static Dictionary<string, string?> With(params (string Key, string? Value)[] changes)
    {
        var settings = new Dictionary<string, string?>(Enabled);
        foreach (var (key, value) in changes)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Defaults_SendNothingAnywhereAndSaySo()
    {
        var email = new FakeGateway("email");
        var (services, store) = Build(new Dictionary<string, string?>(), email);
        await using var _ = services;
        var batch = await StoredBatchAsync(store);
        var options = services.GetRequiredService<IOptions<ExecutionOptions>>().Value;

        var report = await services.GetRequiredService<IPlanExecutor>().ExecuteAsync(batch);

        Assert.False(options.Enabled);
        Assert.True(options.DryRun);
        Assert.Equal(["email"], options.Channels);
        Assert.False(report.Enabled);
        Assert.Equal(0, email.Calls);
        Assert.All(report.Items, i => Assert.Equal(ExecutionOutcome.SkippedDisabled, i.Outcome));
        Assert.All(report.Items, i => Assert.Contains("disabled", i.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DryRun_SaysWhatWouldGoAndRecordsNothing()
    {
        var email = new FakeGateway("email");
        var (services, store) = Build(With(("ContentAgent:Execution:DryRun", "true")), email);
        await using var _ = services;
        var batch = await StoredBatchAsync(store);

        var report = await services.GetRequiredService<IPlanExecutor>().ExecuteAsync(batch);

        Assert.True(report.DryRun);
        Assert.Equal(6, report.Processed); // 3 posts × 2 recipients
        Assert.All(report.Items, i => Assert.Equal(ExecutionOutcome.SkippedDryRun, i.Outcome));
        Assert.Equal(0, email.Calls);
        Assert.Empty(await ((ISendLedger)store).GetSendsAsync(new BatchKey(batch.Plan.TenantId, batch.Plan.PlanId)));
    }

    [Fact]
    public async Task Send_ThenRunAgain_NeverSendsAnItemTwice()
    {
        var email = new FakeGateway("email");
        var (services, store) = Build(Enabled, email);
        await using var _ = services;
        var batch = await StoredBatchAsync(store);
        var executor = services.GetRequiredService<IPlanExecutor>();

        var first = await executor.ExecuteAsync(batch);
        var second = await executor.ExecuteAsync(batch);

        Assert.Equal(6, first.Sent);
        Assert.Equal(6, email.Calls);
        Assert.Equal(6, email.Delivered.Distinct().Count());
        Assert.All(second.Items, i => Assert.Equal(ExecutionOutcome.SkippedAlreadySent, i.Outcome));
        Assert.All(second.Items, i => Assert.StartsWith("msg-", i.ProviderMessageId, StringComparison.Ordinal));
        var ledger = await ((ISendLedger)store).GetSendsAsync(new BatchKey(batch.Plan.TenantId, batch.Plan.PlanId));
        Assert.All(ledger, r => Assert.Equal(SendStatus.Sent, r.Status));
    }

    [Fact]
    public async Task Execute_CountsItemsByChannelAndOutcome()
    {
        var email = new FakeGateway("email") { Behaviour = (item, _) => item.Target == "ben@example.com" ? Permanent() : null };
        var (services, store) = Build(Enabled, email);
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 2);
        using var items = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "ContentAgent", "contentagent.execution.items");

        await services.GetRequiredService<IPlanExecutor>().ExecuteAsync(batch);

        var measurements = items.GetMeasurementSnapshot();
        Assert.Equal(2, measurements.Where(m => (string?)m.Tags["contentagent.execution.outcome"] == "Sent").Sum(m => m.Value));
        Assert.Equal(2, measurements.Where(m => (string?)m.Tags["contentagent.execution.outcome"] == "Failed").Sum(m => m.Value));
        Assert.All(measurements, m => Assert.Equal("email", m.Tags["contentagent.execution.channel"]));
    }

    [Fact]
    public async Task DryRunOverride_PerRun()
    {
        var email = new FakeGateway("email");
        var (services, store) = Build(With(("ContentAgent:Execution:DryRun", "true")), email);
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 1);

        var sent = await services.GetRequiredService<IPlanExecutor>().ExecuteAsync(batch, new ExecutionRequest { DryRun = false });

        Assert.Equal(2, sent.Sent);
    }

    [Fact]
    public async Task TransientFailures_AreRetried_PermanentOnesFailAtOnceAndARerunRetriesThem()
    {
        var email = new FakeGateway("email") { Behaviour = (item, attempt) => item.Target == "ana@example.com" ? attempt == 1 ? Transient() : null : Permanent() };
        var (services, store) = Build(Enabled, email);
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 1);
        var executor = services.GetRequiredService<IPlanExecutor>();

        var report = await executor.ExecuteAsync(batch);

        var ana = report.Items.Single(i => i.Item.Target == "ana@example.com");
        var ben = report.Items.Single(i => i.Item.Target == "ben@example.com");
        Assert.Equal(ExecutionOutcome.Sent, ana.Outcome);
        Assert.Equal(2, ana.Attempts);
        Assert.Equal(ExecutionOutcome.Failed, ben.Outcome);
        Assert.Equal(1, ben.Attempts);
        Assert.Contains("550 no such user", ben.Error, StringComparison.Ordinal);
        Assert.Contains(report.ChannelErrors["email"], e => e.Contains("550", StringComparison.Ordinal));

        email.Behaviour = null;
        var again = await executor.ExecuteAsync(batch);
        Assert.Equal(ExecutionOutcome.SkippedAlreadySent, again.Items.Single(i => i.Item.Target == "ana@example.com").Outcome);
        Assert.Equal(ExecutionOutcome.Sent, again.Items.Single(i => i.Item.Target == "ben@example.com").Outcome);
    }

    [Fact]
    public async Task AChannelThatFailsEntirely_StopsAloneAndTheOthersGoOn()
    {
        var email = new FakeGateway("email") { Behaviour = (_, _) => Transient() };
        var social = new FakeGateway("social", honoursKey: true);
        var (services, store) = Build(With(("ContentAgent:Execution:Channels:0", "email"), ("ContentAgent:Execution:Channels:1", "social")), email, social);
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 5);

        var report = await services.GetRequiredService<IPlanExecutor>().ExecuteAsync(batch);

        Assert.Equal(5, report.Items.Count(i => i.Item.Channel == "social" && i.Outcome == ExecutionOutcome.Sent));
        Assert.Equal(PlanExecutorChannelThreshold, report.Items.Count(i => i.Item.Channel == "email" && i.Outcome == ExecutionOutcome.Failed));
        Assert.Equal(10 - PlanExecutorChannelThreshold, report.Items.Count(i => i.Item.Channel == "email" && i.Outcome == ExecutionOutcome.SkippedChannelFailed));
        Assert.Contains(report.ChannelErrors["email"], e => e.Contains("failed 3 items in a row", StringComparison.Ordinal));
        Assert.Equal(PlanExecutorChannelThreshold * 3, email.Calls); // three attempts each
        var logs = services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, r => r.Id.Id == 114 && r.Message.Contains("execution.channel_failed: email", StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Id.Id == 110);
        Assert.Contains(logs, r => r.Id.Id == 115);
        Assert.All(logs.Where(r => r.Level > LogLevel.Trace), r => Assert.DoesNotContain(batch.Posts[0].Text!, r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailureAfterTheCommitHook_WithoutIdempotency_IsUnconfirmedAndNeverSentAgain()
    {
        var email = new FakeGateway("email") { Behaviour = (item, _) => item.Target == "ana@example.com" ? Transient() : null, FailAfterCommit = true };
        var (services, store) = Build(Enabled, email);
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 1);
        var executor = services.GetRequiredService<IPlanExecutor>();

        var report = await executor.ExecuteAsync(batch);
        email.Behaviour = null;
        var again = await executor.ExecuteAsync(batch);

        var ana = report.Items.Single(i => i.Item.Target == "ana@example.com");
        Assert.Equal(ExecutionOutcome.Unconfirmed, ana.Outcome);
        Assert.Equal(1, ana.Attempts);
        var anaAgain = again.Items.Single(i => i.Item.Target == "ana@example.com");
        Assert.Equal(ExecutionOutcome.Unconfirmed, anaAgain.Outcome); // reported again, never sent again
        Assert.Equal(ana.Error, anaAgain.Error);
        Assert.Equal(0, anaAgain.Attempts);
        Assert.Equal(1, email.Commits.Count(k => k == ana.Item.Key));
    }

    [Fact]
    public async Task LostAnswerAfterTheCommitHook_ThatTheGatewayCallsUnknown_IsUnconfirmed()
    {
        var lost = new GatewayException("The connection dropped after the message was handed over: it may or may not have been delivered.", isTransient: false) { MayHaveBeenDelivered = true };
        var email = new FakeGateway("email") { Behaviour = (item, _) => item.Target == "ana@example.com" ? lost : null, FailAfterCommit = true };
        var (services, store) = Build(Enabled, email);
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 1);
        var executor = services.GetRequiredService<IPlanExecutor>();

        var report = await executor.ExecuteAsync(batch);
        email.Behaviour = null;
        var again = await executor.ExecuteAsync(batch);

        Assert.Equal(ExecutionOutcome.Unconfirmed, report.Items.Single(i => i.Item.Target == "ana@example.com").Outcome);
        Assert.Equal(ExecutionOutcome.Unconfirmed, again.Items.Single(i => i.Item.Target == "ana@example.com").Outcome);
        Assert.Equal(1, email.Commits.Count(k => k == report.Items.Single(i => i.Item.Target == "ana@example.com").Item.Key)); // handed over once, in the first run
    }

    [Fact]
    public async Task ARunKilledAfterTheHandOver_LeavesAnItemThatEveryLaterRunReportsUnconfirmedAndNeverSends()
    {
        var email = new FakeGateway("email");
        var (services, store) = Build(Enabled, email);
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 1);
        var executor = services.GetRequiredService<IPlanExecutor>();
        var ana = executor.Plan(batch).Single(i => i.Target == "ana@example.com");
        var ledger = (ISendLedger)store;
        var key = new BatchKey(batch.Plan.TenantId, batch.Plan.PlanId);

        // What a run killed between the commit hook and the provider's answer leaves behind.
        await ledger.BeginAsync(key, new SendItem(ana.Key, ana.Channel, ana.Target));
        await ledger.HandOverAsync(key, ana.Key);
        var first = await executor.ExecuteAsync(batch);
        var second = await executor.ExecuteAsync(batch);

        foreach (var report in new[] { first, second })
        {
            var result = report.Items.Single(i => i.Item.Key == ana.Key);
            Assert.Equal(ExecutionOutcome.Unconfirmed, result.Outcome);
            Assert.StartsWith("Unconfirmed: an earlier run handed it to the provider and stopped before the answer", result.Error, StringComparison.Ordinal);
        }

        Assert.Equal(1, first.Sent); // ben
        Assert.Equal(1, email.Calls);
        Assert.Equal(SendStatus.HandedOver, (await ledger.GetSendsAsync(key)).Single(r => r.Key == ana.Key).Status);
    }

    [Fact]
    public async Task RefusalAfterTheCommitHook_IsAFailureAndIsSentAgainLater()
    {
        var email = new FakeGateway("email") { Behaviour = (item, _) => item.Target == "ana@example.com" ? Permanent() : null, FailAfterCommit = true };
        var (services, store) = Build(Enabled, email);
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 1);
        var executor = services.GetRequiredService<IPlanExecutor>();

        var report = await executor.ExecuteAsync(batch);
        email.Behaviour = null;
        var again = await executor.ExecuteAsync(batch);

        Assert.Equal(ExecutionOutcome.Failed, report.Items.Single(i => i.Item.Target == "ana@example.com").Outcome);
        Assert.Equal(ExecutionOutcome.Sent, again.Items.Single(i => i.Item.Target == "ana@example.com").Outcome);
    }

    [Fact]
    public async Task APendingItemFromACrashedRun_IsSentBecauseItNeverReachedItsCommit()
    {
        var email = new FakeGateway("email");
        var (services, store) = Build(Enabled, email);
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 1);
        var executor = services.GetRequiredService<IPlanExecutor>();
        var item = executor.Plan(batch)[0];
        await ((ISendLedger)store).BeginAsync(new BatchKey(batch.Plan.TenantId, batch.Plan.PlanId), new SendItem(item.Key, item.Channel, item.Target));

        var report = await executor.ExecuteAsync(batch);

        Assert.Equal(ExecutionOutcome.Sent, report.Items.Single(i => i.Item.Key == item.Key).Outcome);
        var record = (await ((ISendLedger)store).GetSendsAsync(new BatchKey(batch.Plan.TenantId, batch.Plan.PlanId))).Single(r => r.Key == item.Key);
        Assert.Equal(2, record.Attempts);
    }

    [Fact]
    public async Task Plan_KeysAreDeterministicAndItemsArePerRecipientAndScheduled()
    {
        var (services, store) = Build(With(("ContentAgent:Execution:ScheduleStart", "2026-12-01T09:00:00Z"), ("ContentAgent:Execution:ScheduleInterval", "12:00:00")));
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 3);
        var executor = services.GetRequiredService<IPlanExecutor>();

        var items = executor.Plan(batch);
        var again = executor.Plan(batch);

        Assert.Equal(6, items.Count);
        Assert.Equal(items.Select(i => i.Key), again.Select(i => i.Key));
        Assert.Equal(6, items.Select(i => i.Key).Distinct().Count());
        Assert.All(items, i => Assert.Matches("^[0-9a-f]{32}$", i.Key));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero), items.Single(i => i.PostIndex == 3 && i.Target == "ana@example.com").ScheduledAt);
        Assert.Equal(batch.Posts[1].Text, items.First(i => i.PostIndex == 2).Text);
    }

    [Fact]
    public async Task RunRecipients_ReplaceTheConfiguredOnes_AndANewRecipientGetsEveryPostOnce()
    {
        var email = new FakeGateway("email");
        var (services, store) = Build(Enabled, email);
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 2);
        var executor = services.GetRequiredService<IPlanExecutor>();

        var planned = executor.Plan(batch, new ExecutionRequest { EmailRecipients = [" carl@example.com", "CARL@example.com", "ana@example.com "] });
        var first = await executor.ExecuteAsync(batch);
        var second = await executor.ExecuteAsync(batch, new ExecutionRequest { EmailRecipients = ["ana@example.com", "carl@example.com"] });

        // Trimmed, without repeats (addresses compare case-blind), the options' ben not among them.
        Assert.Equal(["carl@example.com", "ana@example.com"], planned.Where(i => i.PostIndex == 1).Select(i => i.Target));
        // The same post and recipient has the same key whichever source named the recipient.
        Assert.Equal(
            first.Items.Single(i => i.Item.PostIndex == 1 && i.Item.Target == "ana@example.com").Item.Key,
            planned.Single(i => i.PostIndex == 1 && i.Target == "ana@example.com").Key);
        Assert.Equal(4, first.Sent); // ana and ben, from the options
        Assert.Equal(2, second.Sent); // carl, new
        Assert.All(second.Items.Where(i => i.Item.Target == "ana@example.com"), i => Assert.Equal(ExecutionOutcome.SkippedAlreadySent, i.Outcome));
        Assert.DoesNotContain(second.Items, i => i.Item.Target == "ben@example.com");
        Assert.Equal(6, email.Calls);
        Assert.Equal(6, email.Delivered.Distinct().Count());
    }

    [Fact]
    public async Task RunRecipients_ThatAreNotAddresses_FailTheRunBeforeAnythingIsSentOrRecorded()
    {
        var email = new FakeGateway("email");
        var (services, store) = Build(Enabled, email);
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 2);
        var executor = services.GetRequiredService<IPlanExecutor>();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => executor.ExecuteAsync(batch, new ExecutionRequest { EmailRecipients = ["carl@example.com", "not an address", "dora@"] }));

        Assert.Equal("The run's email recipients (ExecutionRequest.EmailRecipients; console: execute --to) hold what is not an email address: 'not an address', 'dora@'. Use for example ana@contoso.com.", error.Message);
        Assert.Throws<ArgumentException>(() => executor.Plan(batch, new ExecutionRequest { EmailRecipients = [""] }));
        Assert.Equal(0, email.Calls);
        Assert.Empty(await ((ISendLedger)store).GetSendsAsync(new BatchKey(batch.Plan.TenantId, batch.Plan.PlanId)));
    }

    [Fact]
    public async Task NoRecipientAnywhere_IsAnEmailChannelErrorWhileTheOtherChannelsSend()
    {
        var email = new FakeGateway("email");
        var social = new FakeGateway("social", honoursKey: true);
        var settings = With(("ContentAgent:Execution:Channels:0", "email"), ("ContentAgent:Execution:Channels:1", "social"));
        settings.Remove("ContentAgent:Execution:Email:To:0");
        settings.Remove("ContentAgent:Execution:Email:To:1");
        var (services, store) = Build(settings, email, social);
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 2);

        var report = await services.GetRequiredService<IPlanExecutor>().ExecuteAsync(batch);

        Assert.Equal(2, report.Sent);
        Assert.All(report.Items, i => Assert.Equal("social", i.Item.Channel));
        Assert.Equal(0, email.Calls);
        Assert.Equal(
            "The email channel has no recipient: set ContentAgent:Execution:Email:To, or give the run its own (ExecutionRequest.EmailRecipients; console: execute --to).",
            Assert.Single(report.ChannelErrors["email"]));
    }

    [Fact]
    public async Task NoGatewayForAChannel_IsAChannelErrorNotACrash()
    {
        var (services, store) = Build(With(("ContentAgent:Execution:Channels:0", "social")));
        await using var _ = services;
        var batch = await StoredBatchAsync(store, 1);
        var executor = new PlanExecutor([], (ISendLedger)store, services.GetRequiredService<IOptionsMonitor<ExecutionOptions>>(), services.GetRequiredService<Polly.Registry.ResiliencePipelineProvider<string>>(), TimeProvider.System);

        var report = await executor.ExecuteAsync(batch);

        Assert.All(report.Items, i => Assert.Equal(ExecutionOutcome.SkippedChannelFailed, i.Outcome));
        Assert.Contains("No gateway is registered for the social channel", report.ChannelErrors["social"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EXECUTION_CHANNELS", "email,fax", "'fax' is not a channel")]
    [InlineData("EXECUTION_ENABLED", "perhaps", "EXECUTION_ENABLED: 'perhaps' is not true or false")]
    [InlineData("ContentAgent:Execution:Email:Host", "", "ContentAgent:Execution:Email:Host is required")]
    [InlineData("ContentAgent:Execution:Email:To:1", "not an address", "ContentAgent:Execution:Email:To: 'not an address' is not an email address")]
    [InlineData("ContentAgent:Execution:Email:Tls", "Maybe", "ContentAgent:Execution:Email:Tls: 'Maybe' is not a TLS mode")]
    [InlineData("ContentAgent:Execution:Social:Kind", "Myspace", "ContentAgent:Execution:Social:Kind: 'Myspace' is not supported")]
    public void Misconfiguration_FailsAtStartNamingTheSetting(string setting, string value, string expected)
    {
        var settings = With(("ContentAgent:Execution:Channels:0", "email"), ("ContentAgent:Execution:Channels:1", "social"));
        settings[setting] = value;
        var (services, _) = Build(settings);
        using (services)
        {
            var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ExecutionOptions>>().Value);

            Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ConfiguredChannels_ReplaceTheDefault()
    {
        var (services, _) = Build(new Dictionary<string, string?> { ["ContentAgent:Execution:Channels:0"] = "social", ["ContentAgent:Execution:Channels:1"] = "crm" });
        using (services)
        {
            Assert.Equal(["social", "crm"], services.GetRequiredService<IOptions<ExecutionOptions>>().Value.Channels);
        }
    }

    [Fact]
    public void EnvironmentVariables_SwitchExecutionOn()
    {
        var (services, _) = Build(new Dictionary<string, string?> { ["EXECUTION_ENABLED"] = "true", ["EXECUTION_DRY_RUN"] = "false", ["EXECUTION_CHANNELS"] = "email", ["ContentAgent:Execution:Email:Host"] = "smtp.example.com", ["ContentAgent:Execution:Email:From"] = "a@example.com", ["ContentAgent:Execution:Email:To:0"] = "b@example.com" });
        using (services)
        {
            var options = services.GetRequiredService<IOptions<ExecutionOptions>>().Value;

            Assert.True(options.Enabled);
            Assert.False(options.DryRun);
        }
    }

    private const int PlanExecutorChannelThreshold = 3;

    private static GatewayException Transient() => new("The SMTP server answered 451: try later.", isTransient: true);

    private static GatewayException Permanent() => new("The SMTP server refused: 550 no such user.", isTransient: false);

    /// <summary>A gateway that records what it delivered and can fail on command, before or after its commit hook.</summary>
    private sealed class FakeGateway(string channel, bool honoursKey = false) : IExecutionGateway
    {
        private int _calls;

        public Func<ExecutionItem, int, Exception?>? Behaviour { get; set; }

        public bool FailAfterCommit { get; init; }

        public int Calls => Volatile.Read(ref _calls);

        public List<string> Delivered { get; } = [];

        public List<string> Commits { get; } = [];

        public string Channel => channel;

        public string Kind => "fake";

        public bool HonoursIdempotencyKey => honoursKey;

        private readonly Dictionary<string, int> _attempts = [];

        public async Task<GatewayReceipt> SendAsync(ExecutionItem item, Func<CancellationToken, Task> committing, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            int attempt;
            lock (_attempts)
            {
                attempt = _attempts[item.Key] = _attempts.GetValueOrDefault(item.Key) + 1;
            }

            var failure = Behaviour?.Invoke(item, attempt);
            if (failure is not null && !FailAfterCommit)
            {
                throw failure;
            }

            await committing(cancellationToken);
            lock (Commits)
            {
                Commits.Add(item.Key);
            }

            if (failure is not null)
            {
                throw failure;
            }

            lock (Delivered)
            {
                Delivered.Add(item.Key);
            }

            return new GatewayReceipt($"msg-{item.Key[..8]}");
        }
    }
}
