using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using ContentAgent.Batches;
using ContentAgent.Generation;
using ContentAgent.Learning;
using ContentAgent.Planning;
using ContentAgent.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace ContentAgent.Benchmarks;

/// <summary>
/// The per-post cost of durability: a whole batch with an instant writer (so the store's cost shows) on the in-memory
/// store and on the SQLite store in WAL mode with <c>synchronous</c> FULL and NORMAL, at 50, 500 and 5,000 posts. Each
/// invocation is a new batch in a new database file; the file's bytes per post (database plus WAL) are appended to
/// <c>$TMPDIR/contentagent-store-bench/store-bytes-per-post.txt</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class StoreBenchmark
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "contentagent-store-bench");
    private ServiceProvider? _services;
    private BatchPlan _plan = null!;
    private string _path = string.Empty;
    private int _run;

    [Params("memory", "sqlite-normal", "sqlite-full")]
    public string Store { get; set; } = "memory";

    [Params(50, 500, 5000)]
    public int Posts { get; set; }

    [IterationSetup]
    public void Setup()
    {
        Directory.CreateDirectory(Folder);
        _path = Path.Combine(Folder, $"{Store}-{Posts}-{_run++}.db");
        var builder = new ServiceCollection().AddContentAgent(o => o.MaxPostsPerBatch = 10_000);
        if (Store != "memory")
        {
            builder.UseSqliteStore(o =>
            {
                o.Path = _path;
                o.Synchronous = Store == "sqlite-full" ? SqliteSynchronous.Full : SqliteSynchronous.Normal;
            });
        }

        builder.Services.AddSingleton<IChatClient>(new InstantChatClient());
        builder.Services.AddSingleton<IContextCompactor>(new OfflineContextCompactor(DefaultTokenizer.Instance));
        _services = builder.Services.BuildServiceProvider();
        _plan = new BatchPlan(
            $"store-{_run}",
            "default",
            "bench",
            [.. Enumerable.Range(1, Posts).Select(i => new PostSpec(i, i % 2 == 0 ? Platform.LinkedIn : Platform.X, "AI", $"angle {i % 12}"))],
            DateTimeOffset.UnixEpoch);
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _services?.Dispose();
        if (Store != "memory" && File.Exists(_path))
        {
            var bytes = new FileInfo(_path).Length + (File.Exists(_path + "-wal") ? new FileInfo(_path + "-wal").Length : 0);
            var report = Path.Combine(Folder, "store-bytes-per-post.txt");
            File.AppendAllText(report, $"{Store} {Posts} posts: {bytes / Posts} bytes per post ({bytes} bytes)\n");
        }

        foreach (var file in Directory.GetFiles(Folder, Path.GetFileName(_path) + "*"))
        {
            File.Delete(file);
        }
    }

    [Benchmark(Description = "one batch, whole")]
    public Task<BatchResult> Batch() => _services!.GetRequiredService<IBatchRunner>().RunToCompletionAsync(_plan);
}
