using ContentAgent.Batches;
using ContentAgent.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContentAgent.Tests.Storage;

public sealed class SqliteBatchStoreTests : BatchStoreConformanceTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("contentagent-sqlite-").FullName;
    private readonly List<ServiceProvider> _providers = [];

    public void Dispose()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    protected override IBatchStore Store() => Store(Path.Combine(_directory, $"{Guid.NewGuid():N}.db"));

    private IBatchStore Store(string path, Action<ContentAgentOptions>? configure = null)
    {
        var provider = TestSupport.Services(configure, s => s.AddContentAgent().UseSqliteStore(o => o.Path = path));
        _providers.Add(provider);
        return provider.GetRequiredService<IBatchStore>();
    }

    [Fact]
    public void UseSqliteStore_ReplacesTheInMemoryStore() => Assert.Equal("SqliteBatchStore", Store().GetType().Name);

    [Fact]
    public async Task Batch_SurvivesTheProcess_AnotherStoreOnTheFileReadsItBack()
    {
        var path = Path.Combine(_directory, "nested", "folder", "batches.db");
        var provider = TestSupport.Services(services: s => s.AddContentAgent().UseSqliteStore(o => o.Path = path));
        var result = await provider.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(12));
        await provider.DisposeAsync();

        var reopened = await Store(path).GetResultAsync(new BatchKey("default", "plan-1"));

        Assert.NotNull(reopened);
        Assert.Equal(BatchStatus.Completed, reopened.Status);
        Assert.Equal(result.Posts.Select(p => p.Text), reopened.Posts.Select(p => p.Text));
        Assert.Equal(result.Posts.Select(p => p.Score!.Overall), reopened.Posts.Select(p => p.Score!.Overall));
        Assert.Equal(result.Learnings, reopened.Learnings);
        Assert.Equal(result.Compactions, reopened.Compactions);
    }

    [Fact]
    public async Task File_IsInWalModeWithOneRowPerPost()
    {
        var path = Path.Combine(_directory, "wal.db");
        var provider = TestSupport.Services(services: s => s.AddContentAgent().UseSqliteStore(o => o.Path = path));
        await provider.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(15));
        await provider.DisposeAsync();

        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        Assert.Equal(15L, await ScalarAsync(connection, "SELECT count(*) FROM posts"));
        Assert.Equal(15L, await ScalarAsync(connection, "SELECT count(*) FROM posts WHERE status = 'Done' AND schema_version = 1"));
    }

    /// <summary>The schema-2 file layout exactly as ContentAgent 0.1 (stop 8) wrote it; schema 1 is the same without <c>sends</c>.</summary>
    private static async Task WriteOldFileAsync(string path, int version)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Foreign Keys=True");
        await connection.OpenAsync();
        var plan = PlanContent.Serialize(TestSupport.Plan(3, tenantId: "acme"));
        var sends = version >= 2
            ? """
              CREATE TABLE sends (tenant_id TEXT NOT NULL, plan_id TEXT NOT NULL, item_key TEXT NOT NULL, channel TEXT NOT NULL, target TEXT NOT NULL, status TEXT NOT NULL,
                  attempts INTEGER NOT NULL, message_id TEXT, error TEXT, updated_at TEXT NOT NULL,
                  PRIMARY KEY (tenant_id, plan_id, item_key), FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, plan_id) ON DELETE CASCADE);
              INSERT INTO sends VALUES ('acme', 'plan-1', 'plan-1.1.email.ana', 'email', 'ana@example.com', 'Sent', 1, '<m1@x>', NULL, '2026-11-23T10:00:00.0000000Z');
              """
            : string.Empty;
        await ExecuteAsync(connection, $"""
            PRAGMA journal_mode = WAL;
            BEGIN;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO meta (key, value) VALUES ('app', 'ContentAgent'), ('schema_version', '{version}');
            CREATE TABLE plans (tenant_id TEXT NOT NULL, plan_id TEXT NOT NULL, schema_version INTEGER NOT NULL, created_at TEXT NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (tenant_id, plan_id));
            CREATE TABLE posts (tenant_id TEXT NOT NULL, plan_id TEXT NOT NULL, post_index INTEGER NOT NULL, schema_version INTEGER NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL,
                PRIMARY KEY (tenant_id, plan_id, post_index), FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, plan_id) ON DELETE CASCADE);
            CREATE TABLE leases (tenant_id TEXT NOT NULL, plan_id TEXT NOT NULL, owner TEXT NOT NULL, expires_at TEXT NOT NULL,
                PRIMARY KEY (tenant_id, plan_id), FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, plan_id) ON DELETE CASCADE);
            CREATE TABLE run_states (tenant_id TEXT NOT NULL, plan_id TEXT NOT NULL, schema_version INTEGER NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL,
                PRIMARY KEY (tenant_id, plan_id), FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, plan_id) ON DELETE CASCADE);
            INSERT INTO plans VALUES ('acme', 'plan-1', 1, '1970-01-01T00:00:00.0000000Z', '{plan.Replace("'", "''", StringComparison.Ordinal)}', '2026-11-23T10:00:00.0000000Z');
            {sends}
            INSERT INTO leases VALUES ('acme', 'plan-1', 'old-host/1234/abc', '2999-01-01T00:00:00.0000000Z');
            COMMIT;
            """);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task File_FromAnOlderSchema_IsMigratedKeepingItsBatchesLeasesAndSends(int version)
    {
        var path = Path.Combine(_directory, $"v{version}.db");
        await WriteOldFileAsync(path, version);

        var store = Store(path);
        var key = new BatchKey("acme", "plan-1");
        Assert.Equal(3, (await store.GetPlanAsync(key))!.Posts.Count);
        var lease = await ((ContentAgent.Leasing.ILeaseStore)store).GetAsync(new ContentAgent.Leasing.LeaseKey("acme", ContentAgent.Leasing.LeaseScopes.Batch, "plan-1"));
        Assert.Equal("old-host/1234/abc", lease!.Owner);
        var sends = await ((ISendLedger)store).GetSendsAsync(key);
        Assert.Equal(version >= 2 ? ["plan-1.1.email.ana"] : [], sends.Select(r => r.Key));

        await using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        await check.OpenAsync();
        Assert.Equal("3", await ScalarAsync(check, "SELECT value FROM meta WHERE key = 'schema_version'"));

        // Deleting the batch still takes its lease along, as the old foreign key did.
        Assert.True(await store.DeleteAsync(key));
        Assert.Equal(0L, await ScalarAsync(check, "SELECT count(*) FROM leases"));
    }

    [Fact]
    public async Task File_ThatIsNotADatabase_FailsClearlyAndIsLeftAlone()
    {
        var path = Path.Combine(_directory, "notes.txt");
        await File.WriteAllTextAsync(path, "These are my notes, not a database. ".PadRight(4096, '.'));

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await Store(path).GetPlanAsync(new BatchKey("default", "x")));

        Assert.Contains("is not a ContentAgent database", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("These are my notes", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SqliteDatabase_OfAnotherApp_FailsClearly()
    {
        var path = Path.Combine(_directory, "other.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, "CREATE TABLE customers (id INTEGER PRIMARY KEY); INSERT INTO customers VALUES (1);");
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await Store(path).GetPlanAsync(new BatchKey("default", "x")));

        Assert.Contains("not a ContentAgent one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_FromANewerSchema_FailsClearly()
    {
        var path = Path.Combine(_directory, "newer.db");
        await Store(path).SavePlanAsync(TestSupport.Plan(1));
        await DisposeAllAsync();
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, "UPDATE meta SET value = '7' WHERE key = 'schema_version'");
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await Store(path).GetPlanAsync(new BatchKey("default", "plan-1")));

        Assert.Contains("newer ContentAgent (schema 7)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE posts SET schema_version = 2", "newer ContentAgent (schema 2)")]
    [InlineData("UPDATE posts SET data = '{not json'", "is corrupt")]
    [InlineData("UPDATE posts SET data = 'null'", "is corrupt")]
    public async Task Record_FromANewerSchemaOrCorrupt_FailsClearlyInsteadOfReadingEmpty(string damage, string expected)
    {
        var path = Path.Combine(_directory, "damaged.db");
        var store = Store(path);
        var plan = TestSupport.Plan(2);
        await store.SavePlanAsync(plan);
        await store.SavePostAsync(new BatchKey("default", "plan-1"), new PostResult(plan.Posts[0], PostStatus.Done, "text", TestSupport.Score(8), 1, null, [], 0, 0, 0, 0, TimeSpan.Zero, null));
        await DisposeAllAsync();
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, damage);
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await Store(path).GetPostsAsync(new BatchKey("default", "plan-1")));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("default/plan-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_SynchronousNormal_IsAppliedAndStillStores()
    {
        var path = Path.Combine(_directory, "normal.db");
        var provider = TestSupport.Services(services: s => s.AddContentAgent().UseSqliteStore(o => { o.Path = path; o.Synchronous = SqliteSynchronous.Normal; }));
        _providers.Add(provider);

        await provider.GetRequiredService<IBatchRunner>().RunToCompletionAsync(TestSupport.Plan(3));

        Assert.Equal(SqliteSynchronous.Normal, provider.GetRequiredService<IOptions<SqliteBatchStoreOptions>>().Value.Synchronous);
        Assert.Equal(3, (await provider.GetRequiredService<IBatchStore>().GetPostsAsync(new BatchKey("default", "plan-1"))).Count);
    }

    private async Task DisposeAllAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        _providers.Clear();
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
