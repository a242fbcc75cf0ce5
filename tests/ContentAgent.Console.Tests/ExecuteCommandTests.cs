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
    public async Task Execute_KilledMidRunAgainAndAgain_NoItemReachesTheServersTwice_AndEveryMissingOneIsReportedUnconfirmed()
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
            if (result.ExitCode == 0 && result.Output.Contains($"{Posts * 3} item(s): 0 sent, 0 failed, ", StringComparison.Ordinal))
            {
                break;
            }
        }

        _server.Latency = TimeSpan.Zero;
        var last = await ConsoleHost.RunAsync(_directory, environment, "execute", planId, "--send", "--db", "exec.db");

        // The last run sends nothing: every item is already sent, or unconfirmed — handed to SMTP or HubSpot (which keep no
        // idempotency keys) by a run killed before the answer, so counted as sent (at most once) and reported on every run.
        Assert.True(kills >= 4, $"only {kills} kills landed mid-run\n{history}");
        var lines = last.Output.Split('\n');
        var alreadySent = lines.Where(l => l.Contains("= already sent", StringComparison.Ordinal)).ToList();
        var unconfirmed = lines.Where(l => l.Contains("? unconfirmed", StringComparison.Ordinal)).ToList();
        Assert.True(
            last.ExitCode == 0 && last.Output.Contains($"{Posts * 3} item(s): 0 sent, 0 failed, {Posts * 3 - unconfirmed.Count} skipped", StringComparison.Ordinal) && alreadySent.Count + unconfirmed.Count == Posts * 3,
            $"last run: exit {last.ExitCode}\n{last.Output}\n{last.Error}\n{history}");
        Assert.All(unconfirmed, l => Assert.DoesNotContain(" social ", l, StringComparison.Ordinal)); // Mastodon honours the key: never in doubt
        Assert.True(unconfirmed.Count <= 2 * kills, $"{unconfirmed.Count} unconfirmed items for {kills} kills: at most one per kill and channel without keys\n{last.Output}");
        static string KeyOf(string line) => line[(line.IndexOf(" UTC · ", StringComparison.Ordinal) + " UTC · ".Length)..][..12]; // the console prints 12 characters of a key
        List<string> Keys(string channel, IEnumerable<string> of) => [.. of.Where(l => l.Contains($" {channel} ", StringComparison.Ordinal)).Select(KeyOf)];
        var unconfirmedKeys = Keys("email", unconfirmed).Concat(Keys("crm", unconfirmed)).ToHashSet(StringComparer.Ordinal);

        try
        {
            await _smtp.WaitForMessagesAsync(Posts - Keys("email", unconfirmed).Count, TimeSpan.FromSeconds(10)); // the server reports what it stored on its own pipe
        }
        catch (TimeoutException)
        {
            // Fewer than expected: the assertion below says which.
        }

        await _smtp.SettleAsync(); // a message sent twice would be reported after the first ones

        // Never twice anywhere; exactly once, except an item the last run reports unconfirmed, which may be missing.
        var mails = _smtp.Messages.GroupBy(m => m.Key).ToList();
        var missingMails = Keys("email", lines).Where(k => mails.All(g => g.Key is null || !g.Key.StartsWith(k, StringComparison.Ordinal))).ToList();
        Assert.True(mails.All(g => g.Count() == 1), $"emails sent twice: {string.Join(", ", mails.Where(g => g.Count() > 1).Select(g => g.Key))}\n{history}");
        Assert.True(mails.Count + missingMails.Count == Posts, $"{mails.Count} emails and {missingMails.Count} missing for {Posts} posts\n{last.Output}\n{history}");
        Assert.True(missingMails.All(unconfirmedKeys.Contains), $"emails missing and not reported unconfirmed: {string.Join(", ", missingMails.Where(k => !unconfirmedKeys.Contains(k)))}\n{last.Output}\n{history}");
        var created = _server.Created;
        var statuses = created.Where(c => c.Api == "mastodon").GroupBy(c => c.IdempotencyKey).ToList();
        var notes = created.Where(c => c.Api == "hubspot").GroupBy(c => c.IdempotencyKey).ToList();
        Assert.True(statuses.Count == Posts && statuses.All(g => g.Count() == 1), $"{statuses.Count} statuses for {Posts} posts; twice: {string.Join(", ", statuses.Where(g => g.Count() > 1).Select(g => g.Key))}\n{history}");
        Assert.True(notes.All(g => g.Count() == 1), $"notes created twice: {string.Join(", ", notes.Where(g => g.Count() > 1).Select(g => g.Key))}\n{history}"); // HubSpot keeps no idempotency keys: only the commit hook keeps this at one
        var missingNotes = Keys("crm", lines).Where(k => notes.All(g => g.Key is null || !g.Key.StartsWith(k, StringComparison.Ordinal))).ToList();
        Assert.True(notes.Count + missingNotes.Count == Posts, $"{notes.Count} notes and {missingNotes.Count} missing for {Posts} posts\n{last.Output}\n{history}");
        Assert.True(missingNotes.All(unconfirmedKeys.Contains), $"notes missing and not reported unconfirmed: {string.Join(", ", missingNotes.Where(k => !unconfirmedKeys.Contains(k)))}\n{last.Output}\n{history}");
    }
}
