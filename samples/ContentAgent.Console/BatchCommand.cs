using System.CommandLine;
using ContentAgent.Batches;
using ContentAgent.Delivery.Exporting;
using ContentAgent.Planning;
using ContentAgent.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContentAgent.ConsoleHost;

/// <summary>The <c>batch "&lt;brief&gt;"</c> command: plan, run with progress and checkpoints, write the files.</summary>
internal static class BatchCommand
{
    public static Command Create()
    {
        var brief = new Argument<string>("brief")
        {
            Description = $"What to write, for example \"{InvalidBriefException.ExampleBrief}\".",
        };
        var parallel = new Option<int?>("--parallel")
        {
            Description = "Posts written at once (default 1, or ContentAgent:MaxParallelPosts).",
        };
        var yes = new Option<bool>("--yes", "-y")
        {
            Description = "Continue at every checkpoint without asking (also the behaviour when input is not a terminal).",
        };
        var output = new Option<string>("--out")
        {
            Description = "The folder that receives <planId>/posts.json, posts.md and summary.json.",
            DefaultValueFactory = static _ => "out",
        };
        var verbose = new Option<bool>("--verbose")
        {
            Description = "Write ContentAgent's logs to standard error.",
        };

        var command = new Command("batch", "Plan a batch from a brief, write every post, and save the results.")
        {
            brief, parallel, yes, output, verbose,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(brief) ?? string.Empty,
            parseResult.GetValue(parallel),
            parseResult.GetValue(yes),
            parseResult.GetValue(output) ?? "out",
            parseResult.GetValue(verbose),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string brief, int? parallel, bool yes, string outputDirectory, bool verbose, CancellationToken cancellationToken)
    {
        var stdout = Console.Out;
        var stderr = Console.Error;
        if (parallel is < 1 or > 64)
        {
            await stderr.WriteLineAsync($"error: --parallel must be between 1 and 64 (got {parallel}).").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;
        var ui = new ConsoleUi(stdout, interactive, TimeProvider.System);
        await using var services = BuildServices(parallel, yes || !interactive, ui, verbose);

        BatchPlan? plan = null;
        try
        {
            // Validate the options before any work, so a bad setting is one clear line.
            var options = services.GetRequiredService<IOptions<ContentAgentOptions>>().Value;
            plan = await services.GetRequiredService<IBatchPlanner>().PlanAsync(brief, cancellationToken).ConfigureAwait(false);
            var model = services.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>();
            await stdout.WriteLineAsync($"Mode: {model?.ProviderName ?? "custom"} · model {model?.DefaultModelId ?? "unknown"} · {options.MaxParallelPosts} post(s) at a time").ConfigureAwait(false);
            await stdout.WriteLineAsync($"Planned {plan.Posts.Count} posts ({Describe(plan)}) · plan {plan.PlanId}").ConfigureAwait(false);

            BatchResult? result = null;
            await foreach (var batchEvent in services.GetRequiredService<IBatchRunner>().RunAsync(plan, cancellationToken).ConfigureAwait(false))
            {
                ui.Render(batchEvent);
                if (batchEvent is BatchCompleted completed)
                {
                    result = completed.Result;
                }
            }

            ui.ClearLive();
            var export = await services.GetRequiredService<IBatchExporter>().ExportAsync(result!, outputDirectory, cancellationToken).ConfigureAwait(false);
            await WriteSummaryAsync(stdout, result!, export).ConfigureAwait(false);
            return result!.Status switch
            {
                BatchStatus.Completed => ExitCodes.Success,
                BatchStatus.CompletedWithFailures => ExitCodes.FinishedWithFailedPosts,
                _ => ExitCodes.PausedOrStopped,
            };
        }
        catch (InvalidBriefException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OptionsValidationException ex)
        {
            await stderr.WriteLineAsync($"error: invalid configuration: {string.Join(" ", ex.Failures)}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ui.ClearLive();
            await stderr.WriteLineAsync("Cancelled.").ConfigureAwait(false);
            if (plan is not null)
            {
                // Keep what was finished: write the files of the partial batch.
                var store = services.GetRequiredService<IBatchStore>();
                var partial = await store.GetResultAsync(new BatchKey(plan.TenantId, plan.PlanId), BatchStatus.Cancelled, CancellationToken.None).ConfigureAwait(false);
                if (partial is not null)
                {
                    var export = await services.GetRequiredService<IBatchExporter>().ExportAsync(partial, outputDirectory, CancellationToken.None).ConfigureAwait(false);
                    await WriteSummaryAsync(stdout, partial, export).ConfigureAwait(false);
                }
            }

            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ui.ClearLive();
            await stderr.WriteLineAsync($"error: cannot write the results to '{outputDirectory}': {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static ServiceProvider BuildServices(int? parallel, bool autoContinue, ConsoleUi ui, bool verbose)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();

        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.None);
            if (verbose)
            {
                logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            }
        });
        services.AddContentAgent(configuration.GetSection(ContentAgentOptions.SectionName)).AddDelivery();
        if (parallel is { } value)
        {
            services.PostConfigure<ContentAgentOptions>(options => options.MaxParallelPosts = value);
        }

        services.AddSingleton<ICheckpointGate>(new ConsoleCheckpointGate(ui, Console.In, autoContinue));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static string Describe(BatchPlan plan) =>
        string.Join(", ", plan.Posts.GroupBy(static p => (p.Platform, p.Topic)).Select(static g => $"{g.Count()} {g.Key.Platform} about {g.Key.Topic}"));

    private static async Task WriteSummaryAsync(TextWriter output, BatchResult result, BatchExport export)
    {
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"{result.Status}: {result.Succeeded} done, {result.Failed} failed of {result.Posts.Count} · average score {result.AverageScore:F1}/100 ({result.Trend.ToString().ToLowerInvariant()}) · {ConsoleUi.Format(result.Duration)}").ConfigureAwait(false);
        await output.WriteLineAsync($"Learning context: {result.Context.Total:N0} tokens in all, largest prompt {result.Context.LargestPerPost:N0}; without compaction {result.Context.UncompactedTotal:N0} (largest {result.Context.UncompactedLargestPerPost:N0}) · {result.Context.Savings * 100:F0}% saved · {result.Compactions} compaction(s)").ConfigureAwait(false);
        foreach (var failed in result.Posts.Where(static p => p.Status == PostStatus.Failed))
        {
            await output.WriteLineAsync($"  post {failed.Index} failed: {failed.Error}").ConfigureAwait(false);
        }

        if (result.Status is BatchStatus.Paused or BatchStatus.Stopped or BatchStatus.Cancelled)
        {
            var where = result.Status == BatchStatus.Cancelled ? string.Empty : " at a checkpoint";
            await output.WriteLineAsync($"{result.Status}{where}: {result.Posts.Count(static p => p.Status == PostStatus.Planned)} posts were not written.").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"Wrote {string.Join(", ", export.Files.Select(Path.GetFileName))} to {export.Directory}").ConfigureAwait(false);
    }
}
