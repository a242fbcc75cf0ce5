using System.Diagnostics;
using ContentAgent.Tests.Servers;

namespace ContentAgent.Tests.Console;

/// <summary>The <c>execute</c> command as a real process against a local SMTP server and local social (Mastodon) and CRM (HubSpot) servers.</summary>
public sealed class ExecuteCommandTests : IAsyncLifetime
{
    private const string MastodonToken = "mastodon-token-5b1e9c";
    private const string HubSpotToken = "hubspot-token-77aa01";
    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-exec-").FullName;
    private LocalHttpApiServer _server = null!;
    private LocalSmtpServer _smtp = null!;

    public async Task InitializeAsync()
    {
        _server = await LocalHttpApiServer.StartAsync(new LocalHttpApiServerOptions { MastodonAccessToken = MastodonToken, HubSpotAccessToken = HubSpotToken });
        _smtp = await LocalSmtpServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _smtp.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Endpoints and tokens configured; whether execution is on is up to the test.</summary>
    private Dictionary<string, string> Endpoints() => new()
    {
        ["ContentAgent__Execution__Channels__0"] = "social",
        ["ContentAgent__Execution__Channels__1"] = "crm",
        ["ContentAgent__Execution__Channels__2"] = "email",
        ["ContentAgent__Execution__Email__Host"] = _smtp.Host,
        ["ContentAgent__Execution__Email__Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ContentAgent__Execution__Email__Tls"] = "None",
        ["ContentAgent__Execution__Email__From"] = "news@contoso.test",
        ["ContentAgent__Execution__Email__To__0"] = "ana@example.test",
        ["ContentAgent__Execution__Social__Kind"] = "Mastodon",
        ["ContentAgent__Execution__Social__Endpoint"] = _server.BaseUri.ToString(),
        ["ContentAgent__Execution__Social__AccessToken"] = MastodonToken,
        ["ContentAgent__Execution__Crm__Kind"] = "HubSpot",
        ["ContentAgent__Execution__Crm__Endpoint"] = _server.BaseUri.ToString(),
        ["ContentAgent__Execution__Crm__AccessToken"] = HubSpotToken,
        ["ContentAgent__Execution__RetryBaseDelay"] = "00:00:00.010",
    };

    private async Task<string> BatchAsync(int posts)
    {
        var batch = await ConsoleHost.RunAsync(_directory, null, "batch", $"Create {posts} LinkedIn posts about AI and hiring", "--db", "exec.db");
        Assert.True(batch.ExitCode == 0, batch.Error);
        return batch.Output.Split('\n').First(l => l.StartsWith("Planned ", StringComparison.Ordinal)).Split("· plan ")[1].Trim();
    }

    [Fact]
    public async Task Execute_WithNoExecutionSettings_SendsNothingAnywhere()
    {
        var planId = await BatchAsync(3);

        var withSend = await ConsoleHost.RunAsync(_directory, Endpoints(), "execute", planId, "--send", "--db", "exec.db");
        var dryRun = await ConsoleHost.RunAsync(_directory, new Dictionary<string, string>(Endpoints()) { ["EXECUTION_ENABLED"] = "true" }, "execute", planId, "--db", "exec.db");

        Assert.Equal(0, withSend.ExitCode);
        Assert.Contains("disabled: nothing is sent", withSend.Output, StringComparison.Ordinal);
        Assert.Equal(0, dryRun.ExitCode);
        Assert.Contains("dry run: nothing is sent", dryRun.Output, StringComparison.Ordinal);
        Assert.Equal(9, dryRun.Output.Split('\n').Count(l => l.Contains("· would send", StringComparison.Ordinal)));
        Assert.Empty(_server.Requests);
        await _smtp.SettleAsync();
        Assert.Empty(_smtp.Messages);
    }

    [Fact]
    public async Task Execute_To_SendsToTheRunsRecipients_AndABadAddressExitsTwoSendingNothing()
    {
        var planId = await BatchAsync(2);
        var environment = new Dictionary<string, string>(Endpoints())
        {
            ["EXECUTION_ENABLED"] = "true",
            ["EXECUTION_CHANNELS"] = "email",
        };

        var bad = await ConsoleHost.RunAsync(_directory, environment, "execute", planId, "--send", "--to", "carl@example.test,not-an-address", "--db", "exec.db");
        await _smtp.SettleAsync();
        var afterBad = _smtp.Messages.Count;
        var good = await ConsoleHost.RunAsync(_directory, environment, "execute", planId, "--send", "--to", "carl@example.test", "--to", "dora@example.test", "--db", "exec.db");
        var again = await ConsoleHost.RunAsync(_directory, environment, "execute", planId, "--send", "--to", "dora@example.test, carl@example.test", "--db", "exec.db");

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("error: The run's email recipients (ExecutionRequest.EmailRecipients; console: execute --to) hold what is not an email address: 'not-an-address'.", bad.Error, StringComparison.Ordinal);
        Assert.Equal(0, afterBad);
        Assert.True(good.ExitCode == 0, good.Output + good.Error);
        Assert.Contains("4 item(s): 4 sent, 0 failed, 0 skipped", good.Output, StringComparison.Ordinal);
        Assert.Contains("4 item(s): 0 sent, 0 failed, 4 skipped", again.Output, StringComparison.Ordinal);
        await _smtp.WaitForMessagesAsync(4, TimeSpan.FromSeconds(10));
        await _smtp.SettleAsync();
        var recipients = _smtp.Messages.SelectMany(m => m.EnvelopeTo).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["carl@example.test", "carl@example.test", "dora@example.test", "dora@example.test"], recipients); // not ana, the configured one
    }

    [Fact]
    public async Task Execute_KilledMidRunAgainAndAgain_EveryItemReachesTheServersExactlyOnce()
    {
        const int Posts = 12;
        var planId = await BatchAsync(Posts);
        var environment = new Dictionary<string, string>(Endpoints()) { ["EXECUTION_ENABLED"] = "true", ["EXECUTION_DRY_RUN"] = "false" };
        _server.Latency = TimeSpan.FromMilliseconds(60);
        await _smtp.DelayNextReplyAsync(TimeSpan.FromMilliseconds(40), count: 1000, stage: SmtpStage.EndOfData);
        var random = new Random(20261123);
        var kills = 0;
        var history = new System.Text.StringBuilder();

        for (var run = 0; run < 30; run++)
        {
            var seen = _server.Requests.Count;
            var killAfter = seen + random.Next(1, 5);
            Process? process = null;
            var running = ConsoleHost.RunAsync(_directory, environment, (p, _) => process ??= p, "execute", planId, "--send", "--db", "exec.db");

            // Kill (SIGKILL) once the servers have received a few more requests: mid-send, often while an answer is on its way.
            var finished = false;
            while (!finished)
            {
                if (_server.Requests.Count >= killAfter && process is { HasExited: false })
                {
                    process.Kill();
                    kills++;
                    break;
                }

                finished = running.IsCompleted;
                await Task.Delay(5);
            }

            var result = await running;
            history.Append("run ").Append(run).Append(": exit ").Append(result.ExitCode).Append(", requests ").Append(_server.Requests.Count).Append(", ")
                .Append(result.Output.Split('\n').LastOrDefault(l => l.Contains("item(s)", StringComparison.Ordinal)) ?? "(killed)").Append(' ').Append(result.Error.Trim()).Append('\n');
            if (result.ExitCode == 0 && result.Output.Contains($"{Posts * 3} item(s): 0 sent, 0 failed, {Posts * 3} skipped", StringComparison.Ordinal))
            {
                break;
            }
        }

        _server.Latency = TimeSpan.Zero;
        var last = await ConsoleHost.RunAsync(_directory, environment, "execute", planId, "--send", "--db", "exec.db");

        Assert.True(kills >= 4, $"only {kills} kills landed mid-run\n{history}");
        Assert.True(last.Output.Contains($"{Posts * 3} item(s): 0 sent, 0 failed, {Posts * 3} skipped", StringComparison.Ordinal) && last.ExitCode == 0, $"last run: exit {last.ExitCode}\n{last.Output}\n{last.Error}\n{history}");
        Assert.Equal(Posts * 3, last.Output.Split('\n').Count(l => l.Contains("= already sent", StringComparison.Ordinal)));
        try
        {
            await _smtp.WaitForMessagesAsync(Posts, TimeSpan.FromSeconds(10)); // the server reports what it stored on its own pipe
        }
        catch (TimeoutException)
        {
            // Fewer than one per post: the assertion below says which.
        }

        await _smtp.SettleAsync(); // a message sent twice would be reported after the first ones

        var mails = _smtp.Messages.GroupBy(m => m.Key).ToList();
        Assert.True(mails.Count == Posts && mails.All(g => g.Count() == 1), $"{mails.Count} emails for {Posts} posts; twice: {string.Join(", ", mails.Where(g => g.Count() > 1).Select(g => g.Key))}\n{history}");
        var created = _server.Created;
        var statuses = created.Where(c => c.Api == "mastodon").GroupBy(c => c.IdempotencyKey).ToList();
        var notes = created.Where(c => c.Api == "hubspot").GroupBy(c => c.IdempotencyKey).ToList();
        Assert.True(statuses.Count == Posts && notes.Count == Posts, $"{statuses.Count} statuses and {notes.Count} notes for {Posts} posts\n{history}");
        Assert.True(statuses.All(g => g.Count() == 1), $"statuses created twice: {string.Join(", ", statuses.Where(g => g.Count() > 1).Select(g => g.Key))}\n{history}");
        Assert.True(notes.All(g => g.Count() == 1), $"notes created twice: {string.Join(", ", notes.Where(g => g.Count() > 1).Select(g => g.Key))}\n{history}"); // HubSpot keeps no idempotency keys: only the commit hook keeps this at one
    }
}
