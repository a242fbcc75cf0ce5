using System.CommandLine;
using System.Globalization;
using ContentAgent.Batches;
using ContentAgent.Delivery.Execution;
using ContentAgent.Delivery.Exporting;
using ContentAgent.Delivery.Packaging;
using ContentAgent.Leasing;
using ContentAgent.Planning;
using ContentAgent.Providers;
using ContentAgent.Storage;
using ContentAgent.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContentAgent.ConsoleHost;

/// <summary>The console's commands: batch, resume, list, show, prune.</summary>
internal static class Commands
{
    private static readonly Option<string?> Database = new("--db")
    {
        Description = $"The SQLite file that keeps the batches (default ./{ConsoleServices.DefaultDatabase}, or ContentAgent:Store:Path).",
        Recursive = true,
    };

    private static readonly Option<string> Tenant = new("--tenant")
    {
        Description = $"The tenant whose batches the command reads and writes (default {TenantIds.Default}); another tenant's batches are not found.",
        Recursive = true,
        DefaultValueFactory = static _ => TenantIds.Default,
    };

    private static readonly Option<bool> Live = new("--live")
    {
        Description = "Write with the live model of ContentAgent:Chat (provider, endpoint, model; the key from ContentAgent__Chat__ApiKey) instead of the offline writer.",
        Recursive = true,
    };

    private static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Write ContentAgent's logs to standard error.",
        Recursive = true,
    };

    public static RootCommand Root()
    {
        var root = new RootCommand("ContentAgent: plans, writes, scores and learns from batches of social posts. Offline by default.")
        {
            Database, Tenant, Live, Verbose, Batch(), Resume(), RetryFailed(), List(), Show(), Package(), Execute(), Prune(),
        };
        return root;
    }

    private static Command Batch()
    {
        var brief = new Argument<string>("brief") { Description = $"What to write, for example \"{InvalidBriefException.ExampleBrief}\"." };
        var (parallel, yes, output) = RunOptions();
        var command = new Command("batch", "Plan a batch from a brief, write every post, and save the results.") { brief, parallel, yes, output };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, parallel, yes, output, (services, token) =>
            services.GetRequiredService<IBatchPlanner>().PlanAsync(TenantOf(parse), parse.GetValue(brief) ?? string.Empty, token), cancellationToken));
        return command;
    }

    private static Command Resume()
    {
        var planId = new Argument<string>("planId") { Description = "The batch to go on with (see list)." };
        var (parallel, yes, output) = RunOptions();
        var command = new Command("resume", "Go on with a batch that was interrupted, paused or cancelled; finished posts are not written again.") { planId, parallel, yes, output };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, parallel, yes, output, (services, token) =>
            FindPlanAsync(services, TenantOf(parse), parse.GetValue(planId)!, token), cancellationToken));
        return command;
    }

    private static Command RetryFailed()
    {
        var planId = new Argument<string>("planId") { Description = "The batch whose failed posts to write again." };
        var (parallel, yes, output) = RunOptions();
        var command = new Command("retry-failed", "Write a batch's failed posts again (and any not yet written); done posts are kept.") { planId, parallel, yes, output };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, parallel, yes, output, (services, token) =>
            FindPlanAsync(services, TenantOf(parse), parse.GetValue(planId)!, token), cancellationToken, retryFailed: true));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the batches in the store, newest first.");
        command.SetAction((parse, cancellationToken) => WithStoreAsync(parse, async (services, store, tenant) =>
        {
            var batches = await store.ListAsync(tenant, cancellationToken).ConfigureAwait(false);
            if (batches.Count == 0)
            {
                await Console.Out.WriteLineAsync("No batches yet.").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await Console.Out.WriteLineAsync($"{"plan",-22} {"status",-21} {"done",5} {"failed",6} {"posts",5}  {"updated (UTC)",-16}  brief").ConfigureAwait(false);
            foreach (var batch in batches)
            {
                await Console.Out.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{batch.PlanId,-22} {batch.Status,-21} {batch.Done,5} {batch.Failed,6} {batch.Total,5}  {batch.UpdatedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {Shorten(batch.Brief, 60)}")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Show()
    {
        var planId = new Argument<string>("planId") { Description = "The batch to show." };
        var command = new Command("show", "Show a batch: its status, figures and every post.") { planId };
        command.SetAction((parse, cancellationToken) => WithStoreAsync(parse, async (services, store, tenant) =>
        {
            var result = await store.GetResultAsync(new BatchKey(tenant, parse.GetValue(planId)!), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result is null)
            {
                throw new UnknownBatchException(parse.GetValue(planId)!);
            }

            var output = Console.Out;
            await output.WriteLineAsync($"{result.Plan.PlanId} · {result.Status} · {result.Plan.Brief}").ConfigureAwait(false);
            await output.WriteLineAsync(Summary(result)).ConfigureAwait(false);
            await output.WriteLineAsync(Usage(result)).ConfigureAwait(false);
            if (result.StopReason is not null)
            {
                await output.WriteLineAsync($"Stopped early: {result.StopReason}").ConfigureAwait(false);
            }

            foreach (var post in result.Posts)
            {
                var detail = post.Status switch
                {
                    PostStatus.Done => string.Create(CultureInfo.InvariantCulture, $"score {post.Score!.Overall,5:F1} · {Shorten(FirstLine(post.Text), 60)}"),
                    PostStatus.Failed => $"failed after {post.Attempts} attempt(s): {post.Error}",
                    _ => "not written yet",
                };
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {post.Index,3}. {post.Spec.Platform,-15} {Shorten(post.Spec.Topic, 24),-24} {detail}")).ConfigureAwait(false);
            }

            return result.Status == BatchStatus.CompletedWithFailures ? ExitCodes.FinishedWithFailedPosts : ExitCodes.Success;
        }));
        return command;
    }

    private static Command Package()
    {
        var planId = new Argument<string>("planId") { Description = "The batch to package (see list)." };
        var output = new Option<string>("--out") { Description = "The folder that receives <planId>/ with the package (default ./out)." };
        var formats = new Option<string?>("--formats") { Description = "Which deliverables, comma-separated: pdf, pptx, html (default: all)." };
        var command = new Command("package", "Build the client package of a batch: strategy.pdf, deck.pptx, summary.html and manifest.json, branded from ContentAgent:Packaging.") { planId, output, formats };
        command.SetAction((parse, cancellationToken) => WithStoreAsync(parse, async (services, store, tenant) =>
        {
            var id = parse.GetValue(planId)!;
            var result = await store.GetResultAsync(new BatchKey(tenant, id), cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new UnknownBatchException(id);
            var selected = parse.GetValue(formats)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var started = TimeProvider.System.GetTimestamp();
            var package = await services.GetRequiredService<IOutputPackager>().PackageAsync(result, parse.GetValue(output) ?? "out", selected, cancellationToken).ConfigureAwait(false);
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            foreach (var file in package.Files)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  ✓ {Path.GetFileName(file.Path),-14} {file.Size,10:N0} bytes  sha256 {file.Sha256[..16]}…  {file.Generator}")).ConfigureAwait(false);
            }

            foreach (var error in package.Errors)
            {
                await Console.Error.WriteLineAsync($"  ✗ {error.Source}: {error.Message}").ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Packaged {package.Files.Count} file(s) of batch {id} ({result.Succeeded} posts) into {package.Directory} in {elapsed.TotalMilliseconds:F0} ms{(package.ManifestPath is null ? string.Empty : " · manifest.json")}")).ConfigureAwait(false);

            // A renderer or the manifest failed: the environment (exit 1). Only branding could not be used: the configuration (exit 2).
            return package.Errors.Count == 0 ? ExitCodes.Success
                : package.Errors.All(static e => e.Source == "branding") ? ExitCodes.BadInput
                : ExitCodes.Failure;
        }));
        return command;
    }

    private static Command Execute()
    {
        var planId = new Argument<string>("planId") { Description = "The batch to execute (see list)." };
        var send = new Option<bool>("--send") { Description = "Really send (needs ContentAgent:Execution:Enabled or EXECUTION_ENABLED=true); without it the run is a dry run." };
        var to = new Option<string[]>("--to")
        {
            Description = "Email recipients for this run, instead of ContentAgent:Execution:Email:To (repeat, or separate with commas).",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("execute", "Send a batch's posts through the enabled channels (email, social, CRM); a dry run unless --send. Never sends an item twice.") { planId, send, to };
        command.SetAction((parse, cancellationToken) => WithStoreAsync(parse, async (services, store, tenant) =>
        {
            var id = parse.GetValue(planId)!;
            // Validated before anything is read or sent: a bad setting exits 2 naming it.
            var options = services.GetRequiredService<IOptions<ExecutionOptions>>().Value;
            var result = await store.GetResultAsync(new BatchKey(tenant, id), cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new UnknownBatchException(id);
            var dryRun = !parse.GetValue(send);
            var recipients = parse.GetValue(to) is { Length: > 0 } given
                ? given.SelectMany(static t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
                : null;
            var mode = !options.Enabled ? "disabled: nothing is sent (set ContentAgent:Execution:Enabled or EXECUTION_ENABLED=true)"
                : dryRun ? "dry run: nothing is sent (pass --send to send)"
                : "sending";
            await Console.Out.WriteLineAsync($"Execution of batch {id} · {mode} · channels {string.Join(", ", options.Channels)}").ConfigureAwait(false);
            var report = await services.GetRequiredService<IPlanExecutor>().ExecuteAsync(result, new ExecutionRequest { DryRun = dryRun, EmailRecipients = recipients }, cancellationToken).ConfigureAwait(false);
            foreach (var item in report.Items)
            {
                var verb = item.Outcome switch
                {
                    ExecutionOutcome.Sent => "✓ sent",
                    ExecutionOutcome.Failed => "✗ failed",
                    ExecutionOutcome.Unconfirmed => "? unconfirmed",
                    ExecutionOutcome.SkippedAlreadySent => "= already sent",
                    ExecutionOutcome.SkippedDryRun => "· would send",
                    ExecutionOutcome.SkippedDisabled => "· disabled",
                    _ => "· skipped",
                };
                var detail = item.Outcome is ExecutionOutcome.Failed or ExecutionOutcome.Unconfirmed or ExecutionOutcome.SkippedChannelFailed ? $" — {item.Error}" : item.ProviderMessageId is null ? string.Empty : $" (id {item.ProviderMessageId})";
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {verb,-15} post {item.Item.PostIndex,3} {item.Item.Channel,-6} → {item.Item.Target} at {item.Item.ScheduledAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC · {item.Item.Key[..12]}{detail}")).ConfigureAwait(false);
            }

            foreach (var (channel, channelErrors) in report.ChannelErrors)
            {
                await Console.Error.WriteLineAsync($"  {channel}: {channelErrors.Count} error(s); first: {channelErrors[0]}").ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{report.Processed} item(s): {report.Sent} sent, {report.Failed} failed, {report.Skipped} skipped · {report.Duration.TotalMilliseconds:F0} ms")).ConfigureAwait(false);
            return report.Failed > 0 ? ExitCodes.FinishedWithFailedPosts : ExitCodes.Success;
        }));
        return command;
    }

    private static Command Prune()
    {
        var olderThan = new Option<string>("--older-than")
        {
            Description = "Delete batches last updated longer ago than this: 30d, 12h, 45m.",
            Required = true,
        };
        var status = new Option<string[]>("--status")
        {
            Description = "Only batches in these statuses (Completed, CompletedWithFailures, Paused, Stopped, Cancelled, Running); default: any.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("prune", "Delete old batches from the store.") { olderThan, status };
        command.SetAction((parse, cancellationToken) => WithStoreAsync(parse, async (services, store, tenant) =>
        {
            var age = ParseAge(parse.GetValue(olderThan)!);
            var statuses = new List<BatchStatus>();
            foreach (var name in (parse.GetValue(status) ?? []).SelectMany(static s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                statuses.Add(Enum.TryParse<BatchStatus>(name, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                    ? parsed
                    : throw new ArgumentException($"--status: '{name}' is not a batch status; use {string.Join(", ", Enum.GetNames<BatchStatus>())}."));
            }

            var cutoff = services.GetRequiredService<TimeProvider>().GetUtcNow() - age;
            var pruned = await store.PruneAsync(tenant, cutoff, statuses, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"Deleted {pruned} batch(es) last updated before {cutoff.UtcDateTime:yyyy-MM-dd HH:mm} UTC.").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    internal static TimeSpan ParseAge(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 2
            && int.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            && amount > 0)
        {
            switch (char.ToLowerInvariant(trimmed[^1]))
            {
                case 'd': return TimeSpan.FromDays(amount);
                case 'h': return TimeSpan.FromHours(amount);
                case 'm': return TimeSpan.FromMinutes(amount);
            }
        }

        throw new ArgumentException($"--older-than: '{text}' is not an age; write a whole number and a unit, as in 30d, 12h or 45m.");
    }

    private static (Option<int?> Parallel, Option<bool> Yes, Option<string> Output) RunOptions() =>
    (
        new Option<int?>("--parallel") { Description = "Posts written at once (default 1, or ContentAgent:MaxParallelPosts)." },
        new Option<bool>("--yes", "-y") { Description = "Continue at every checkpoint without asking (also the behaviour when input is not a terminal)." },
        new Option<string>("--out") { Description = "The folder that receives <planId>/posts.json, posts.md and summary.json.", DefaultValueFactory = static _ => "out" }
    );

    private static async Task<BatchPlan> FindPlanAsync(ServiceProvider services, string tenant, string planId, CancellationToken cancellationToken) =>
        await services.GetRequiredService<IBatchStore>().GetPlanAsync(new BatchKey(tenant, planId), cancellationToken).ConfigureAwait(false)
            ?? throw new UnknownBatchException(planId);

    /// <summary>The command's tenant (<c>--tenant</c>), checked: a bad one is bad input, named.</summary>
    private static string TenantOf(ParseResult parse)
    {
        var tenant = parse.GetValue(Tenant);
        TenantIds.Validate(tenant, "--tenant");
        return tenant;
    }

    /// <summary>Plans (or finds) a batch, runs it with progress and checkpoints, and writes its files.</summary>
    private static async Task<int> RunAsync(
        ParseResult parse,
        Option<int?> parallelOption,
        Option<bool> yesOption,
        Option<string> outputOption,
        Func<ServiceProvider, CancellationToken, Task<BatchPlan>> plan,
        CancellationToken cancellationToken,
        bool retryFailed = false)
    {
        var parallel = parse.GetValue(parallelOption);
        var outputDirectory = parse.GetValue(outputOption) ?? "out";
        if (parallel is < 1 or > 64)
        {
            await Console.Error.WriteLineAsync($"error: --parallel must be between 1 and 64 (got {parallel}).").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var stdout = Console.Out;
        var interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;
        var ui = new ConsoleUi(stdout, interactive, TimeProvider.System);
        var gate = new ConsoleCheckpointGate(ui, Console.In, parse.GetValue(yesOption) || !interactive);
        await using var services = ConsoleServices.Build(parse.GetValue(Database), parallel, gate, parse.GetValue(Verbose), parse.GetValue(Live));
        BatchPlan? batch = null;
        return await GuardAsync(services, outputDirectory, async () =>
        {
            var options = services.GetRequiredService<IOptions<ContentAgentOptions>>().Value;
            var chat = services.GetRequiredService<IOptions<ChatProviderOptions>>().Value;
            _ = services.GetRequiredService<IChatClient>(); // built, and its options validated, before anything is planned
            await stdout.WriteLineAsync($"Mode: {chat} · {options.MaxParallelPosts} post(s) at a time · store {services.GetRequiredService<IOptions<SqliteBatchStoreOptions>>().Value.Path}").ConfigureAwait(false);
            batch = await plan(services, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"Planned {batch.Posts.Count} posts ({Describe(batch)}) · plan {batch.PlanId}").ConfigureAwait(false);

            BatchResult? result = null;
            try
            {
                var runner = services.GetRequiredService<IBatchRunner>();
                var run = retryFailed ? runner.RetryFailedAsync(batch, cancellationToken) : runner.RunAsync(batch, cancellationToken);
                await foreach (var batchEvent in run.ConfigureAwait(false))
                {
                    ui.Render(batchEvent);
                    if (batchEvent is BatchCompleted completed)
                    {
                        result = completed.Result;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                ui.ClearLive();
                await Console.Error.WriteLineAsync($"Cancelled. Finished posts are kept in the store; go on with: resume {batch.PlanId}").ConfigureAwait(false);
                var partial = await services.GetRequiredService<IBatchStore>().GetResultAsync(new BatchKey(batch.TenantId, batch.PlanId), BatchStatus.Cancelled, CancellationToken.None).ConfigureAwait(false);
                if (partial is not null)
                {
                    var partialExport = await services.GetRequiredService<IBatchExporter>().ExportAsync(partial, outputDirectory, CancellationToken.None).ConfigureAwait(false);
                    await WriteSummaryAsync(stdout, partial, partialExport).ConfigureAwait(false);
                }

                return ExitCodes.Failure;
            }

            ui.ClearLive();
            var export = await services.GetRequiredService<IBatchExporter>().ExportAsync(result!, outputDirectory, CancellationToken.None).ConfigureAwait(false);
            await WriteSummaryAsync(stdout, result!, export).ConfigureAwait(false);
            return result!.Status switch
            {
                BatchStatus.Completed => ExitCodes.Success,
                BatchStatus.CompletedWithFailures => ExitCodes.FinishedWithFailedPosts,
                _ => ExitCodes.PausedOrStopped,
            };
        }).ConfigureAwait(false);
    }

    private static async Task<int> WithStoreAsync(ParseResult parse, Func<ServiceProvider, IBatchStore, string, Task<int>> action)
    {
        await using var services = ConsoleServices.Build(parse.GetValue(Database), null, null, parse.GetValue(Verbose));
        return await GuardAsync(services, null, () =>
        {
            return action(services, services.GetRequiredService<IBatchStore>(), TenantOf(parse));
        }).ConfigureAwait(false);
    }

    /// <summary>Turns failures into one clear line and an exit code: 2 for bad input, 1 for the environment.</summary>
    private static async Task<int> GuardAsync(ServiceProvider services, string? outputDirectory, Func<Task<int>> action)
    {
        var stderr = Console.Error;
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidBriefException or UnknownBatchException or ArgumentException)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OptionsValidationException ex)
        {
            await stderr.WriteLineAsync($"error: invalid configuration: {string.Join(" ", ex.Failures)}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (InvalidDataException ex)
        {
            // The store file is not ours, from a newer version, or damaged: the user points at another file.
            await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (ChatProviderException ex)
        {
            // The model could not be reached or refused (for example while planning an unusual brief): an environment problem.
            await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (LeaseException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (SqliteException ex)
        {
            var path = services.GetRequiredService<IOptions<SqliteBatchStoreOptions>>().Value.Path;
            var hint = ex.SqliteErrorCode switch
            {
                8 or 14 => " The file or its folder cannot be written (read-only, missing, or no permission).",
                13 => " The disk is full; free space or pass --db to use another disk.",
                _ => string.Empty,
            };
            await stderr.WriteLineAsync($"error: the store '{path}' cannot be used: {ex.Message.ReplaceLineEndings(" ")}{hint} Nothing already stored was changed.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync(outputDirectory is null
                ? $"error: {ex.Message}"
                : $"error: cannot write the results to '{outputDirectory}': {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static string Describe(BatchPlan plan) =>
        string.Join(", ", plan.Posts.GroupBy(static p => (p.Platform, p.Topic)).Select(static g => $"{g.Count()} {g.Key.Platform} about {g.Key.Topic}"));

    private static string Summary(BatchResult result) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{result.Succeeded} done, {result.Failed} failed of {result.Posts.Count} · average score {result.AverageScore:F1}/100 ({result.Trend.ToString().ToLowerInvariant()}) · learning context {result.Context.Total:N0} tokens, without compaction {result.Context.UncompactedTotal:N0}");

    private static async Task WriteSummaryAsync(TextWriter output, BatchResult result, BatchExport export)
    {
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"{result.Status}: {result.Succeeded} done, {result.Failed} failed of {result.Posts.Count} · average score {result.AverageScore:F1}/100 ({result.Trend.ToString().ToLowerInvariant()}) · {ConsoleUi.Format(result.Duration)}").ConfigureAwait(false);
        await output.WriteLineAsync($"Learning context: {result.Context.Total:N0} tokens in all, largest prompt {result.Context.LargestPerPost:N0}; without compaction {result.Context.UncompactedTotal:N0} (largest {result.Context.UncompactedLargestPerPost:N0}) · {result.Context.Savings * 100:F0}% saved · {result.Compactions} compaction(s)").ConfigureAwait(false);
        foreach (var failed in result.Posts.Where(static p => p.Status == PostStatus.Failed))
        {
            await output.WriteLineAsync($"  post {failed.Index} failed: {failed.Error}").ConfigureAwait(false);
        }

        await output.WriteLineAsync(Usage(result)).ConfigureAwait(false);
        if (result.Status == BatchStatus.Suspended)
        {
            await output.WriteLineAsync($"Suspended: {result.Posts.Count(static p => p.Status == PostStatus.Planned)} posts were not written. {result.StopReason}").ConfigureAwait(false);
        }

        if (result.Status is BatchStatus.Paused or BatchStatus.Stopped or BatchStatus.Cancelled)
        {
            var where = result.Status == BatchStatus.Cancelled ? string.Empty : " at a checkpoint";
            await output.WriteLineAsync($"{result.Status}{where}: {result.Posts.Count(static p => p.Status == PostStatus.Planned)} posts were not written.").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"Wrote {string.Join(", ", export.Files.Select(Path.GetFileName))} to {export.Directory}").ConfigureAwait(false);
    }

    private static string Usage(BatchResult result)
    {
        var cost = result.EstimatedCost is { } value
            ? string.Create(CultureInfo.InvariantCulture, $"estimated cost {value:0.0000}")
            : "no cost estimate (no price for the model in ContentAgent:Chat:Prices)";
        return string.Create(CultureInfo.InvariantCulture, $"Tokens: {result.InputTokens:N0} in + {result.OutputTokens:N0} out = {result.TotalTokens:N0} · {cost}");
    }

    private static string FirstLine(string? text) => text is null ? string.Empty : text.AsSpan().Trim().ToString().Split('\n')[0];

    private static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>A plan id the store does not hold.</summary>
    private sealed class UnknownBatchException(string planId)
        : Exception($"There is no batch '{planId}' in the store for this tenant. Run `list` to see the batches, or pass --db (another store) or --tenant (another tenant).");
}
