namespace ContentAgent.Tests.Console;

/// <summary>Two tenants on one store never see each other's batches: every command of the other tenant says "not found".</summary>
public sealed class TenantTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-tenant-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string PlanIdFrom(string output) =>
        output.Split('\n').First(l => l.StartsWith("Planned ", StringComparison.Ordinal)).Split("· plan ")[1].Trim();

    [Fact]
    public async Task AnotherTenantsBatch_IsNotFoundByListShowResumePackageOrExecute()
    {
        var acme = await ConsoleHost.RunAsync(_directory, null, "batch", "Create 3 posts about AI", "--tenant", "acme", "--db", "shared.db");
        Assert.True(acme.ExitCode == 0, acme.Error);
        var planId = PlanIdFrom(acme.Output);
        var globex = await ConsoleHost.RunAsync(_directory, null, "batch", "Create 2 posts about hiring", "--tenant", "globex", "--db", "shared.db");
        Assert.True(globex.ExitCode == 0, globex.Error);
        var globexPlan = PlanIdFrom(globex.Output);

        var listAcme = await ConsoleHost.RunAsync(_directory, null, "list", "--tenant", "acme", "--db", "shared.db");
        Assert.Contains(planId, listAcme.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(globexPlan, listAcme.Output, StringComparison.Ordinal);
        var listDefault = await ConsoleHost.RunAsync(_directory, null, "list", "--db", "shared.db");
        Assert.Contains("No batches yet.", listDefault.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await ConsoleHost.RunAsync(_directory, null, "show", planId, "--tenant", "acme", "--db", "shared.db")).ExitCode);
        foreach (var command in new[] { "show", "resume", "retry-failed", "package", "execute" })
        {
            var other = await ConsoleHost.RunAsync(_directory, null, command, planId, "--tenant", "globex", "--db", "shared.db");
            Assert.True(other.ExitCode == 2, $"{command}: exit {other.ExitCode}\n{other.Output}\n{other.Error}");
            Assert.Contains($"There is no batch '{planId}' in the store for this tenant", other.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BadTenant_ExitsWith2NamingTheOption()
    {
        var run = await ConsoleHost.RunAsync(_directory, null, "list", "--tenant", "no such/tenant", "--db", "shared.db");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("tenant id 'no such/tenant' is not valid", run.Error, StringComparison.Ordinal);
        Assert.Contains("--tenant", run.Error, StringComparison.Ordinal);
    }
}
