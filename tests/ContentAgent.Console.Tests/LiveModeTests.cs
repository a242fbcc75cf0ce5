using System.Text;
using ContentAgent.Tests.Servers;

namespace ContentAgent.Tests.Console;

/// <summary>The console in live mode, as a real process, against a local OpenAI-compatible server on 127.0.0.1.</summary>
public sealed class LiveModeTests : IAsyncLifetime
{
    private const string Key = "ca-console-3e8b1f0c9a7d4e2b8c6a5f4e3d2c1b0a";
    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-live-").FullName;
    private LocalLlmServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalLlmServer.StartAsync(new LocalLlmServerOptions { RequiredApiKey = Key });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Dictionary<string, string> Environment(string key = Key) => new()
    {
        ["ContentAgent__Chat__Endpoint"] = _server.OpenAIBaseUri.ToString(),
        ["ContentAgent__Chat__Model"] = "test-model",
        ["ContentAgent__Chat__ApiKey"] = key,
        ["ContentAgent__Chat__Prices__test-model__InputPerMillionTokens"] = "0.15",
        ["ContentAgent__Chat__Prices__test-model__OutputPerMillionTokens"] = "0.60",
        ["ContentAgent__RetryBaseDelay"] = "00:00:00.010",
    };

    private static string PlanIdFrom(string output) =>
        output.Split('\n').First(l => l.StartsWith("Planned ", StringComparison.Ordinal)).Split("· plan ")[1].Trim();

    private int PostRequests => _server.ChatRequests.Count(r => r.LastUserMessage.StartsWith("## Post", StringComparison.Ordinal));

    [Fact]
    public async Task Batch_Live_WritesWithTheModelShowsTokensAndCostAndNeverTheKey()
    {
        var result = await ConsoleHost.RunAsync(_directory, Environment(), "batch", "Create 5 LinkedIn posts about AI", "--live", "--verbose", "--db", "live.db");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        Assert.Contains($"Mode: live · OpenAI · model test-model · {_server.OpenAIBaseUri}", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"Tokens: [\d,]+ in \+ [\d,]+ out = [\d,]+ · estimated cost 0\.\d{4}", result.Output);
        Assert.Equal(5, PostRequests);
        Assert.All(_server.ChatRequests, r => Assert.Equal($"Bearer {Key}", r.Headers["Authorization"]));
        Assert.Contains("Chat model: live", result.Error, StringComparison.Ordinal); // the verbose log names the model, not the key
        var planId = PlanIdFrom(result.Output);
        using var summary = System.Text.Json.JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_directory, "out", planId, "summary.json")));
        var root = summary.RootElement;
        Assert.Equal(root.GetProperty("inputTokens").GetInt64() + root.GetProperty("outputTokens").GetInt64(), root.GetProperty("totalTokens").GetInt64());
        Assert.True(root.GetProperty("estimatedCost").GetDecimal() > 0m);
        await AssertNoKeyAnywhereAsync(result, Key);
    }

    [Fact]
    public async Task Batch_WrongKey_FailsEveryPostAtOnceWithTheKeyScrubbedFromEveryOutput()
    {
        const string Wrong = "ca-wrong-9f8e7d6c5b4a39281706f5e4d3c2b1a0";

        var result = await ConsoleHost.RunAsync(_directory, Environment(Wrong), "batch", "Create 2 LinkedIn posts about AI", "--live", "--verbose", "--db", "wrong.db");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(2, PostRequests); // a 401 is not retried
        Assert.Contains("answered 401", result.Output, StringComparison.Ordinal);
        Assert.Contains("[redacted]", result.Output, StringComparison.Ordinal);
        await AssertNoKeyAnywhereAsync(result, Wrong);
    }

    [Fact]
    public async Task Batch_LiveWithoutKey_ExitsWith2NamingTheSettingAndCallsNothing()
    {
        var environment = Environment();
        environment.Remove("ContentAgent__Chat__ApiKey");

        var result = await ConsoleHost.RunAsync(_directory, environment, "batch", "Create 2 LinkedIn posts about AI", "--live", "--db", "nokey.db");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ContentAgent:Chat:ApiKey is required", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, _server.RequestCount);
    }

    [Fact]
    public async Task Batch_DeadProvider_IsSuspendedWithExit4AndResumesWhenTheProviderIsBack()
    {
        _server.Faults = FaultSchedule.Always(Fault.ServiceUnavailable());
        var environment = Environment();
        environment["ContentAgent__Chat__CircuitBreaker__MinimumThroughput"] = "4";

        var first = await ConsoleHost.RunAsync(_directory, environment, "batch", "Create 12 LinkedIn posts about AI", "--live", "--db", "dead.db");

        Assert.True(first.ExitCode == 4, $"exit {first.ExitCode}\n{first.Output}\n{first.Error}");
        Assert.Contains("Suspended:", first.Output, StringComparison.Ordinal);
        Assert.Contains("circuit breaker opened", first.Output, StringComparison.Ordinal);
        Assert.InRange(_server.ChatRequests.Count, 4, 6);
        var planId = PlanIdFrom(first.Output);

        _server.Faults = null;
        var list = await ConsoleHost.RunAsync(_directory, environment, "list", "--db", "dead.db");
        Assert.Contains(list.Output.Split('\n'), l => l.StartsWith(planId, StringComparison.Ordinal) && l.Contains("Suspended", StringComparison.Ordinal));

        var resumed = await ConsoleHost.RunAsync(_directory, environment, "resume", planId, "--live", "--db", "dead.db");

        Assert.True(resumed.ExitCode is 0 or 3, $"exit {resumed.ExitCode}\n{resumed.Output}\n{resumed.Error}");
        Assert.Contains("Completed", resumed.Output, StringComparison.Ordinal);
    }

    /// <summary>Scans standard output, standard error (the logs), and every file the run left (the store and the results).</summary>
    private async Task AssertNoKeyAnywhereAsync((int ExitCode, string Output, string Error) result, string key)
    {
        Assert.DoesNotContain(key, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, result.Error, StringComparison.Ordinal);
        var files = Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith(".db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("summary.json", StringComparison.Ordinal));
        var needle = Encoding.UTF8.GetBytes(key);
        foreach (var file in files)
        {
            Assert.False((await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(needle) >= 0, $"{file} holds the key");
        }
    }
}
