using System.Diagnostics;
using ContentAgent.Batches;
using ContentAgent.Delivery.Diagnostics;
using ContentAgent.Resilience;
using ContentAgent.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Timeout;

namespace ContentAgent.Delivery.Execution;

/// <summary>
/// Runs a batch's execution plan. For each item: the ledger is consulted (a sent item is never sent again) and the item
/// is recorded pending; the gateway sends it through its channel's named pipeline; a gateway without idempotency keys
/// gets the item recorded sent at its commit hook, just before the provider commits, so a crash at any point sends it
/// at most once; then the outcome is recorded. Channels run side by side and fail alone.
/// </summary>
internal sealed class PlanExecutor : IPlanExecutor
{
    /// <summary>After this many items in a row fail transiently, the channel is given up for the run.</summary>
    internal const int ChannelFailureThreshold = 3;

    private readonly Dictionary<string, IExecutionGateway> _gateways;
    private readonly ISendLedger _ledger;
    private readonly IOptionsMonitor<ExecutionOptions> _options;
    private readonly ResiliencePipelineProvider<string> _pipelines;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    private readonly DeliveryInstruments? _instruments;

    public PlanExecutor(IEnumerable<IExecutionGateway> gateways, ISendLedger ledger, IOptionsMonitor<ExecutionOptions> options, ResiliencePipelineProvider<string> pipelines, TimeProvider timeProvider, ILogger<PlanExecutor>? logger = null, DeliveryInstruments? instruments = null)
    {
        _instruments = instruments;
        _gateways = gateways.GroupBy(static g => g.Channel, StringComparer.OrdinalIgnoreCase).ToDictionary(static g => g.Key, static g => g.Last(), StringComparer.OrdinalIgnoreCase);
        _ledger = ledger;
        _options = options;
        _pipelines = pipelines;
        _timeProvider = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public IReadOnlyList<ExecutionItem> Plan(BatchResult batch, ExecutionRequest? request = null)
    {
        var options = _options.CurrentValue;
        return ExecutionPlanner.Plan(batch, options, ExecutionPlanner.Recipients(options, request), _timeProvider.GetUtcNow());
    }

    public async Task<ExecutionReport> ExecuteAsync(BatchResult batch, ExecutionRequest? request = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var options = _options.CurrentValue;
        var dry = request?.DryRun ?? options.DryRun;
        var startedAt = _timeProvider.GetUtcNow();
        var started = _timeProvider.GetTimestamp();
        var recipients = ExecutionPlanner.Recipients(options, request);
        var items = ExecutionPlanner.Plan(batch, options, recipients, startedAt);
        var channels = ExecutionPlanner.Channels(options);
        var key = new BatchKey(batch.Plan.TenantId, batch.Plan.PlanId);
        using var activity = ContentAgent.Diagnostics.Telemetry.ActivitySource.StartActivity("contentagent.execution");
        activity?.SetTag("contentagent.plan_id", batch.Plan.PlanId);
        activity?.SetTag("contentagent.execution.dry_run", dry);
        activity?.SetTag("contentagent.execution.enabled", options.Enabled);
        activity?.AddEvent(new ActivityEvent("execution.started"));
        DeliveryLog.ExecutionStarted(_logger, batch.Plan.PlanId, items.Count, string.Join(",", channels), options.Enabled, dry);

        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (options.Enabled && channels.Contains(ExecutionPlanner.Email) && recipients.Count == 0)
        {
            Fail(ExecutionPlanner.Email, "The email channel has no recipient: set ContentAgent:Execution:Email:To, or give the run its own (ExecutionRequest.EmailRecipients; console: execute --to).", errors, activity);
        }

        ExecutionItemResult[] results;
        if (!options.Enabled)
        {
            results = [.. items.Select(static i => new ExecutionItemResult(i, ExecutionOutcome.SkippedDisabled, null, "Execution is disabled (ContentAgent:Execution:Enabled or EXECUTION_ENABLED); nothing was sent.", 0))];
        }
        else
        {
            var sent = (await _ledger.GetSendsAsync(key, cancellationToken).ConfigureAwait(false)).ToDictionary(static r => r.Key, StringComparer.Ordinal);
            var perChannel = await Task.WhenAll(channels.Select(channel => RunChannelAsync(
                key, channel, [.. items.Where(i => i.Channel == channel)], dry, sent, errors, activity, cancellationToken))).ConfigureAwait(false);
            var byKey = perChannel.SelectMany(static r => r).ToDictionary(static r => r.Item.Key, StringComparer.Ordinal);
            results = [.. items.Select(i => byKey[i.Key])];
        }

        var report = new ExecutionReport(
            batch.Plan.PlanId,
            options.Enabled,
            dry,
            channels,
            results,
            errors.ToDictionary(static e => e.Key, static e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal),
            startedAt,
            _timeProvider.GetElapsedTime(started));
        foreach (var result in results)
        {
            _instruments?.ExecutionItems.Add(1, new KeyValuePair<string, object?>("contentagent.execution.channel", result.Item.Channel), new KeyValuePair<string, object?>("contentagent.execution.outcome", result.Outcome.ToString()));
        }

        activity?.AddEvent(new ActivityEvent("execution.completed"));
        activity?.SetTag("contentagent.execution.sent", report.Sent);
        activity?.SetTag("contentagent.execution.failed", report.Failed);
        if (report.Failed > 0)
        {
            activity?.SetStatus(ActivityStatusCode.Error, $"{report.Failed} item(s) failed");
        }

        DeliveryLog.ExecutionCompleted(_logger, batch.Plan.PlanId, report.Sent, report.Failed, report.Skipped, (long)report.Duration.TotalMilliseconds);
        return report;
    }

    private async Task<List<ExecutionItemResult>> RunChannelAsync(
        BatchKey batch,
        string channel,
        List<ExecutionItem> items,
        bool dryRun,
        Dictionary<string, SendRecord> ledger,
        Dictionary<string, List<string>> errors,
        Activity? activity,
        CancellationToken cancellationToken)
    {
        var results = new List<ExecutionItemResult>(items.Count);
        if (!_gateways.TryGetValue(channel, out var gateway))
        {
            var reason = $"No gateway is registered for the {channel} channel.";
            Fail(channel, reason, errors, activity);
            results.AddRange(items.Select(i => new ExecutionItemResult(i, ExecutionOutcome.SkippedChannelFailed, null, reason, 0)));
            return results;
        }

        var pipeline = _pipelines.GetPipeline(ResiliencePipelines.Gateway(channel));
        var failuresInARow = 0;
        string? channelFailure = null;
        foreach (var item in items)
        {
            if (ledger.TryGetValue(item.Key, out var record) && SentBefore(item, record) is { } earlier)
            {
                results.Add(earlier);
                continue;
            }

            if (dryRun)
            {
                results.Add(Skip(item, ExecutionOutcome.SkippedDryRun, null, "Dry run: would be sent."));
                continue;
            }

            if (channelFailure is not null)
            {
                results.Add(Skip(item, ExecutionOutcome.SkippedChannelFailed, null, channelFailure));
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var (result, transient) = await SendAsync(batch, gateway, pipeline, item, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            if (result.Outcome == ExecutionOutcome.Failed)
            {
                activity?.AddEvent(new ActivityEvent("execution.item_failed", tags: new ActivityTagsCollection { ["contentagent.execution.key"] = item.Key, ["contentagent.execution.channel"] = channel }));
                Add(errors, channel, $"{item.Key} (post {item.PostIndex}): {result.Error}");
                failuresInARow = transient ? failuresInARow + 1 : 0;
                if (failuresInARow >= ChannelFailureThreshold)
                {
                    channelFailure = $"The {channel} channel failed {failuresInARow} items in a row; its other items were not tried in this run. Last error: {result.Error}";
                    Fail(channel, channelFailure, errors, activity);
                }
            }
            else
            {
                failuresInARow = 0;
                activity?.AddEvent(new ActivityEvent("execution.item_sent", tags: new ActivityTagsCollection { ["contentagent.execution.key"] = item.Key, ["contentagent.execution.channel"] = channel }));
            }
        }

        return results;
    }

    private async Task<(ExecutionItemResult Result, bool TransientFailure)> SendAsync(BatchKey batch, IExecutionGateway gateway, ResiliencePipeline pipeline, ExecutionItem item, CancellationToken cancellationToken)
    {
        var before = await _ledger.BeginAsync(batch, new SendItem(item.Key, item.Channel, item.Target), cancellationToken).ConfigureAwait(false);
        if (before is not null && SentBefore(item, before) is { } earlier)
        {
            // Another run sent it since this one read the ledger.
            return (earlier, false);
        }

        var attempts = 0;
        var committed = false;
        DeliveryLog.ItemBody(_logger, item.Key, item.Text);
        async Task CommitAsync(CancellationToken token)
        {
            // Without an idempotency key, the item counts as sent from the moment the provider may commit it: at most once.
            if (!gateway.HonoursIdempotencyKey && !committed)
            {
                // Quick, not synced: the time between this record and the provider's commit is the only window in which
                // a crash loses the item, so it must be as short as the store allows.
                await _ledger.HandOverAsync(batch, item.Key, token).ConfigureAwait(false);
                committed = true;
            }
        }

        try
        {
            var receipt = await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    try
                    {
                        return await gateway.SendAsync(item, CommitAsync, token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (committed && ex is not OperationCanceledException)
                    {
                        // Handed over, answer lost: never try again.
                        throw new UnconfirmedSendException(ex);
                    }
                },
                cancellationToken).ConfigureAwait(false);
            await _ledger.CompleteAsync(batch, item.Key, SendStatus.Sent, receipt.ProviderMessageId, null, CancellationToken.None).ConfigureAwait(false);
            DeliveryLog.ItemSent(_logger, item.Key, item.PostIndex, item.Channel, gateway.Kind, receipt.ProviderMessageId);
            return (new ExecutionItemResult(item, ExecutionOutcome.Sent, receipt.ProviderMessageId, null, attempts), false);
        }
        catch (UnconfirmedSendException ex) when (ex.InnerException is GatewayException { IsTransient: false, MayHaveBeenDelivered: false } refused)
        {
            // The provider refused after the hand-over (for example SMTP 5xx after the message): nothing was delivered.
            return (await FailedAsync(batch, item, attempts, refused.Message).ConfigureAwait(false), false);
        }
        catch (UnconfirmedSendException ex)
        {
            var reason = $"Unconfirmed: handed to the provider but its answer was lost ({OneLine(ex.InnerException!)}); recorded as sent and not sent again.";
            await _ledger.CompleteAsync(batch, item.Key, SendStatus.HandedOver, null, reason, CancellationToken.None).ConfigureAwait(false);
            DeliveryLog.ItemFailed(_logger, item.Key, item.PostIndex, item.Channel, reason);
            return (new ExecutionItemResult(item, ExecutionOutcome.Unconfirmed, null, reason, attempts), false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The item stays pending; a later run sends it (it never reached its commit hook).
            throw;
        }
        catch (Exception ex)
        {
            var transient = TransientFailures.IsTransient(ex);
            var reason = ex is TimeoutRejectedException
                ? $"Timed out after ContentAgent:Execution:SendTimeout, {attempts} attempt(s)."
                : $"{OneLine(ex)} ({attempts} attempt(s))";
            return (await FailedAsync(batch, item, attempts, reason).ConfigureAwait(false), transient);
        }
    }

    private async Task<ExecutionItemResult> FailedAsync(BatchKey batch, ExecutionItem item, int attempts, string reason)
    {
        await _ledger.CompleteAsync(batch, item.Key, SendStatus.Failed, null, reason, CancellationToken.None).ConfigureAwait(false);
        DeliveryLog.ItemFailed(_logger, item.Key, item.PostIndex, item.Channel, reason);
        return new ExecutionItemResult(item, ExecutionOutcome.Failed, null, reason, attempts);
    }

    /// <summary>What an item sent or handed over by an earlier run comes to in this one; <see langword="null"/> when it may be sent.</summary>
    private ExecutionItemResult? SentBefore(ExecutionItem item, SendRecord record) => record.Status switch
    {
        SendStatus.Sent => Skip(item, ExecutionOutcome.SkippedAlreadySent, record.ProviderMessageId, "Sent by an earlier run."),
        SendStatus.HandedOver => Skip(item, ExecutionOutcome.Unconfirmed, null, record.Error ?? "Unconfirmed: an earlier run handed it to the provider and stopped before the answer; counted as sent and not sent again (check the provider)."),
        _ => null,
    };

    private ExecutionItemResult Skip(ExecutionItem item, ExecutionOutcome outcome, string? messageId, string reason)
    {
        DeliveryLog.ItemSkipped(_logger, item.Key, item.PostIndex, item.Channel, outcome.ToString());
        return new ExecutionItemResult(item, outcome, messageId, reason, 0);
    }

    private void Fail(string channel, string reason, Dictionary<string, List<string>> errors, Activity? activity)
    {
        Add(errors, channel, reason);
        DeliveryLog.ChannelFailed(_logger, channel, reason);
        activity?.AddEvent(new ActivityEvent("execution.channel_failed", tags: new ActivityTagsCollection { ["contentagent.execution.channel"] = channel }));
    }

    private static void Add(Dictionary<string, List<string>> errors, string channel, string error)
    {
        lock (errors)
        {
            if (!errors.TryGetValue(channel, out var list))
            {
                errors[channel] = list = [];
            }

            list.Add(error);
        }
    }

    private static string OneLine(Exception ex)
    {
        var text = ex is GatewayException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
        text = text.ReplaceLineEndings(" ");
        return text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 297), "...");
    }

    /// <summary>A failure after the commit hook of a gateway without idempotency keys: never retried.</summary>
    private sealed class UnconfirmedSendException(Exception inner) : Exception("The send failed after the provider may have committed it.", inner), ITransientFailure
    {
        public bool IsTransient => false;

        public TimeSpan? RetryAfter => null;
    }
}
