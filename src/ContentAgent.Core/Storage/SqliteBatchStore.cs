using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ContentAgent.Batches;
using ContentAgent.Leasing;
using ContentAgent.Planning;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ContentAgent.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Each post is one row, written in its own transaction at each
/// transition, so the file grows with the number of posts (not posts × steps) and a finished post survives a crash.
/// Every row carries the schema version it was written with; a row from a newer version, or one that does not parse,
/// fails with a clear error instead of reading as empty.
/// </summary>
internal sealed class SqliteBatchStore : IBatchStore, ILeaseStore, ISendLedger, IAsyncDisposable, IDisposable
{
    /// <summary>The database schema this version writes and reads (2 added the send ledger, 3 leases of every scope).</summary>
    internal const int SchemaVersion = 3;

    /// <summary>The version of the JSON records (plans, posts, run states) this version writes and reads.</summary>
    internal const int RecordVersion = 1;

    private const string AppName = "ContentAgent";
    private const int SqliteNotADatabase = 26;
    private const int SqliteConstraint = 19;

    private readonly SqliteBatchStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;
    private bool _synchronousFull;

    public SqliteBatchStore(IOptions<SqliteBatchStoreOptions> options, TimeProvider timeProvider)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
    }

    public string FullPath => System.IO.Path.GetFullPath(_options.Path);

    public async ValueTask SavePlanAsync(BatchPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var key = new BatchKey(plan.TenantId, plan.PlanId);
        var data = JsonSerializer.Serialize(plan, StoreJsonContext.Default.BatchPlan);
        var inserted = await ExecuteAsync(
            "INSERT INTO plans (tenant_id, plan_id, schema_version, created_at, data, updated_at) VALUES ($tenant, $plan, $version, $created, $data, $now) ON CONFLICT (tenant_id, plan_id) DO NOTHING",
            command =>
            {
                Key(command, key);
                command.Parameters.AddWithValue("$created", Timestamp(plan.CreatedAt));
                command.Parameters.AddWithValue("$data", data);
            },
            cancellationToken).ConfigureAwait(false);
        if (inserted == 0 && !PlanContent.Same(await GetPlanAsync(key, cancellationToken).ConfigureAwait(false), data))
        {
            throw new StoreConflictException("plan", key.ToString());
        }
    }

    public async ValueTask<BatchPlan?> GetPlanAsync(BatchKey key, CancellationToken cancellationToken = default) =>
        (await ReadAsync("SELECT schema_version, data FROM plans WHERE tenant_id = $tenant AND plan_id = $plan", key, StoreJsonContext.Default.BatchPlan, "plan", cancellationToken).ConfigureAwait(false))
        .SingleOrDefault();

    public async ValueTask SavePostAsync(BatchKey key, PostResult post, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(post);
        await ExecuteAsync(
            """
            INSERT INTO posts (tenant_id, plan_id, post_index, schema_version, status, data, updated_at) VALUES ($tenant, $plan, $index, $version, $status, $data, $now)
            ON CONFLICT (tenant_id, plan_id, post_index) DO UPDATE SET schema_version = excluded.schema_version, status = excluded.status, data = excluded.data, updated_at = excluded.updated_at
            """,
            command =>
            {
                Key(command, key);
                command.Parameters.AddWithValue("$index", post.Index);
                command.Parameters.AddWithValue("$status", post.Status.ToString());
                command.Parameters.AddWithValue("$data", JsonSerializer.Serialize(post, StoreJsonContext.Default.PostResult));
            },
            cancellationToken,
            missingPlan: key,
            durable: post.Status is PostStatus.Done or PostStatus.Failed).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<PostResult>> GetPostsAsync(BatchKey key, CancellationToken cancellationToken = default) =>
        await ReadAsync("SELECT schema_version, data FROM posts WHERE tenant_id = $tenant AND plan_id = $plan ORDER BY post_index", key, StoreJsonContext.Default.PostResult, "post", cancellationToken).ConfigureAwait(false);

    public async ValueTask<bool> DeleteAsync(BatchKey key, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("DELETE FROM plans WHERE tenant_id = $tenant AND plan_id = $plan", command => Key(command, key), cancellationToken).ConfigureAwait(false) > 0;

    public async ValueTask<IReadOnlyList<BatchSummary>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        return await UseAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText =
                    """
                    SELECT p.plan_id, p.schema_version, p.data, coalesce(r.status, 'Running'), p.created_at, max(p.updated_at, coalesce(r.updated_at, ''), coalesce(x.updated_at, '')),
                           coalesce(x.done, 0), coalesce(x.failed, 0)
                    FROM plans p
                    LEFT JOIN run_states r ON r.tenant_id = p.tenant_id AND r.plan_id = p.plan_id
                    LEFT JOIN (SELECT tenant_id, plan_id, sum(status = 'Done') AS done, sum(status = 'Failed') AS failed, max(updated_at) AS updated_at
                               FROM posts WHERE tenant_id = $tenant GROUP BY tenant_id, plan_id) x ON x.tenant_id = p.tenant_id AND x.plan_id = p.plan_id
                    WHERE p.tenant_id = $tenant
                    ORDER BY p.created_at DESC, p.plan_id DESC
                    """;
                command.Parameters.AddWithValue("$tenant", tenantId);
                var list = new List<BatchSummary>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var planId = reader.GetString(0);
                    var plan = Deserialize(reader.GetInt32(1), reader.GetString(2), StoreJsonContext.Default.BatchPlan, $"plan of batch '{tenantId}/{planId}'");
                    list.Add(new BatchSummary(
                        planId,
                        tenantId,
                        plan.Brief,
                        Enum.TryParse<BatchStatus>(reader.GetString(3), out var status) ? status : BatchStatus.Running,
                        plan.Posts.Count,
                        reader.GetInt32(6),
                        reader.GetInt32(7),
                        plan.CreatedAt,
                        DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture)));
                }

                return list;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> PruneAsync(string tenantId, DateTimeOffset updatedBefore, IReadOnlyCollection<BatchStatus>? statuses = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        var statusList = statuses?.Distinct().ToList() ?? [];
        var statusFilter = statusList.Count == 0
            ? string.Empty
            : $"AND coalesce(r.status, 'Running') IN ({string.Join(", ", statusList.Select((_, i) => $"$status{i}"))})";

        // One statement: a batch's last update is the latest of its plan, run state and posts; posts, run state and
        // lease go with the plan (ON DELETE CASCADE).
        return await ExecuteAsync(
            $"""
            DELETE FROM plans WHERE tenant_id = $tenant AND plan_id IN (
                SELECT p.plan_id FROM plans p
                LEFT JOIN run_states r ON r.tenant_id = p.tenant_id AND r.plan_id = p.plan_id
                WHERE p.tenant_id = $tenant {statusFilter}
                  AND max(p.updated_at, coalesce(r.updated_at, ''),
                          coalesce((SELECT max(x.updated_at) FROM posts x WHERE x.tenant_id = p.tenant_id AND x.plan_id = p.plan_id), '')) < $before)
            """,
            command =>
            {
                command.Parameters.AddWithValue("$tenant", tenantId);
                command.Parameters.AddWithValue("$before", Timestamp(updatedBefore));
                for (var i = 0; i < statusList.Count; i++)
                {
                    command.Parameters.AddWithValue($"$status{i}", statusList[i].ToString());
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<Lease> AcquireAsync(LeaseKey key, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var now = _timeProvider.GetUtcNow();

        // One statement: take a free or expired lease, or renew one's own; then read what stands.
        return await UseAsync(
            async connection =>
            {
                await SetSynchronousAsync(connection, durable: false, cancellationToken).ConfigureAwait(false);
                await using var command = connection.CreateCommand();
                command.CommandText =
                    """
                    INSERT INTO leases (tenant_id, scope, id, owner, expires_at) VALUES ($tenant, $scope, $id, $owner, $expires)
                    ON CONFLICT (tenant_id, scope, id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                    WHERE leases.owner = excluded.owner OR leases.expires_at <= $now;
                    SELECT owner, expires_at FROM leases WHERE tenant_id = $tenant AND scope = $scope AND id = $id;
                    """;
                LeaseParameters(command, key);
                command.Parameters.AddWithValue("$owner", owner);
                command.Parameters.AddWithValue("$expires", Timestamp(now + duration));
                command.Parameters.AddWithValue("$now", Timestamp(now));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new Lease(key, reader.GetString(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture))
                    : throw new InvalidOperationException($"The lease on '{key}' was not recorded.");
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<Lease?> TakeOverAsync(LeaseKey key, string expectedOwner, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedOwner);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var expires = _timeProvider.GetUtcNow() + duration;
        var changed = await ExecuteAsync(
            "UPDATE leases SET owner = $owner, expires_at = $expires WHERE tenant_id = $tenant AND scope = $scope AND id = $id AND owner = $expected",
            command =>
            {
                LeaseParameters(command, key);
                command.Parameters.AddWithValue("$owner", owner);
                command.Parameters.AddWithValue("$expected", expectedOwner);
                command.Parameters.AddWithValue("$expires", Timestamp(expires));
            },
            cancellationToken,
            durable: false).ConfigureAwait(false);
        return changed == 0 ? null : new Lease(key, owner, DateTimeOffset.Parse(Timestamp(expires), CultureInfo.InvariantCulture));
    }

    public async ValueTask ReleaseAsync(LeaseKey key, string owner, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(
            "DELETE FROM leases WHERE tenant_id = $tenant AND scope = $scope AND id = $id AND owner = $owner",
            command =>
            {
                LeaseParameters(command, key);
                command.Parameters.AddWithValue("$owner", owner);
            },
            cancellationToken,
            durable: false).ConfigureAwait(false);

    public async ValueTask<Lease?> GetAsync(LeaseKey key, CancellationToken cancellationToken = default) =>
        (await ReadLeasesAsync(
            "SELECT tenant_id, scope, id, owner, expires_at FROM leases WHERE tenant_id = $tenant AND scope = $scope AND id = $id",
            command => LeaseParameters(command, key),
            cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async ValueTask<IReadOnlyList<Lease>> GetExpiredAsync(string scope, DateTimeOffset asOf, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return await ReadLeasesAsync(
            "SELECT tenant_id, scope, id, owner, expires_at FROM leases WHERE scope = $scope AND expires_at <= $asOf ORDER BY expires_at, tenant_id, id LIMIT $limit",
            command =>
            {
                command.Parameters.AddWithValue("$scope", scope);
                command.Parameters.AddWithValue("$asOf", Timestamp(asOf));
                command.Parameters.AddWithValue("$limit", limit);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<Lease>> ReadLeasesAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        await UseAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                bind(command);
                var leases = new List<Lease>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    leases.Add(new Lease(
                        new LeaseKey(reader.GetString(0), reader.GetString(1), reader.GetString(2)),
                        reader.GetString(3),
                        DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture)));
                }

                return leases;
            },
            cancellationToken).ConfigureAwait(false);

    private static void LeaseParameters(SqliteCommand command, LeaseKey key)
    {
        command.Parameters.AddWithValue("$tenant", key.TenantId);
        command.Parameters.AddWithValue("$scope", key.Scope);
        command.Parameters.AddWithValue("$id", key.Id);
    }

    public async ValueTask SaveRunStateAsync(BatchKey key, BatchRunState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        await ExecuteAsync(
            """
            INSERT INTO run_states (tenant_id, plan_id, schema_version, status, data, updated_at) VALUES ($tenant, $plan, $version, $status, $data, $now)
            ON CONFLICT (tenant_id, plan_id) DO UPDATE SET schema_version = excluded.schema_version, status = excluded.status, data = excluded.data, updated_at = excluded.updated_at
            """,
            command =>
            {
                Key(command, key);
                command.Parameters.AddWithValue("$status", state.Status.ToString());
                command.Parameters.AddWithValue("$data", JsonSerializer.Serialize(state, StoreJsonContext.Default.BatchRunState));
            },
            cancellationToken,
            missingPlan: key,
            durable: state.Status != BatchStatus.Running || state.PendingCheckpoint is not null).ConfigureAwait(false);
    }

    public async ValueTask<BatchRunState?> GetRunStateAsync(BatchKey key, CancellationToken cancellationToken = default) =>
        (await ReadAsync("SELECT schema_version, data FROM run_states WHERE tenant_id = $tenant AND plan_id = $plan", key, StoreJsonContext.Default.BatchRunState, "run state", cancellationToken).ConfigureAwait(false))
        .SingleOrDefault();

    public async ValueTask<SendRecord?> BeginAsync(BatchKey batch, SendItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            return await UseAsync(
                async connection =>
                {
                    await SetSynchronousAsync(connection, durable: true, cancellationToken).ConfigureAwait(false);
                    await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    var before = await ReadSendAsync(connection, transaction, batch, item.Key, cancellationToken).ConfigureAwait(false);
                    if (before is not { Status: SendStatus.Sent or SendStatus.HandedOver })
                    {
                        await using var command = connection.CreateCommand();
                        command.Transaction = transaction;
                        command.CommandText =
                            """
                            INSERT INTO sends (tenant_id, plan_id, item_key, channel, target, status, attempts, message_id, error, updated_at)
                            VALUES ($tenant, $plan, $key, $channel, $target, 'Pending', 1, NULL, NULL, $now)
                            ON CONFLICT (tenant_id, plan_id, item_key) DO UPDATE SET status = 'Pending', attempts = sends.attempts + 1, message_id = NULL, updated_at = excluded.updated_at
                            """;
                        Key(command, batch);
                        command.Parameters.AddWithValue("$key", item.Key);
                        command.Parameters.AddWithValue("$channel", item.Channel);
                        command.Parameters.AddWithValue("$target", item.Target);
                        command.Parameters.AddWithValue("$now", Timestamp(_timeProvider.GetUtcNow()));
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return before;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
        {
            throw new InvalidOperationException($"No plan is stored under '{batch}'. Save the plan before recording its sends.", ex);
        }
    }

    public ValueTask CompleteAsync(BatchKey batch, string itemKey, SendStatus status, string? providerMessageId, string? failure, CancellationToken cancellationToken = default) =>
        CompleteAsync(batch, itemKey, status, providerMessageId, failure, durable: true, cancellationToken);

    /// <summary>Without waiting for the disk: the WAL frame is in the OS's hands as soon as the commit returns, so a killed process keeps it.</summary>
    public ValueTask HandOverAsync(BatchKey batch, string itemKey, CancellationToken cancellationToken = default) =>
        CompleteAsync(batch, itemKey, SendStatus.HandedOver, null, null, durable: false, cancellationToken);

    private async ValueTask CompleteAsync(BatchKey batch, string itemKey, SendStatus status, string? providerMessageId, string? failure, bool durable, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(itemKey);
        var changed = await ExecuteAsync(
            "UPDATE sends SET status = $status, message_id = $message, error = $error, updated_at = $now WHERE tenant_id = $tenant AND plan_id = $plan AND item_key = $key",
            command =>
            {
                Key(command, batch);
                command.Parameters.AddWithValue("$key", itemKey);
                command.Parameters.AddWithValue("$status", status.ToString());
                command.Parameters.AddWithValue("$message", (object?)providerMessageId ?? DBNull.Value);
                command.Parameters.AddWithValue("$error", (object?)failure ?? DBNull.Value);
            },
            cancellationToken,
            durable: durable).ConfigureAwait(false);
        if (changed == 0)
        {
            throw new InvalidOperationException($"The send '{itemKey}' of '{batch}' was never begun.");
        }
    }

    public async ValueTask<IReadOnlyList<SendRecord>> GetSendsAsync(BatchKey batch, CancellationToken cancellationToken = default) =>
        await UseAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT item_key, channel, target, status, attempts, message_id, error, updated_at FROM sends WHERE tenant_id = $tenant AND plan_id = $plan ORDER BY item_key";
                Key(command, batch);
                var records = new List<SendRecord>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    records.Add(ReadSend(reader));
                }

                return records;
            },
            cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }

        _gate.Dispose();
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
        _gate.Dispose();
    }

    /// <summary>UTC timestamps in one fixed-width form, so that text comparison in SQL is time comparison.</summary>
    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static void Key(SqliteCommand command, BatchKey key)
    {
        command.Parameters.AddWithValue("$tenant", key.TenantId);
        command.Parameters.AddWithValue("$plan", key.PlanId);
    }

    private async Task<int> ExecuteAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken, BatchKey? missingPlan = null, bool durable = true)
    {
        try
        {
            return await UseAsync(
                async connection =>
                {
                    await SetSynchronousAsync(connection, durable, cancellationToken).ConfigureAwait(false);
                    await using var command = connection.CreateCommand();
                    command.CommandText = sql;
                    command.Parameters.AddWithValue("$version", RecordVersion);
                    command.Parameters.AddWithValue("$now", Timestamp(_timeProvider.GetUtcNow()));
                    bind(command);
                    return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint && missingPlan is { } key)
        {
            throw new InvalidOperationException($"No plan is stored under '{key}'. Save the plan before its posts or state.", ex);
        }
    }

    /// <summary>Runs work on the store's one connection, one operation at a time.</summary>
    private async Task<T> UseAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await work(await ConnectAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// With <see cref="SqliteSynchronous.Full"/>, only the writes a resume depends on wait for the disk: a post's end, a
    /// batch's end, a pending checkpoint, a plan. The rest (a post started, a lease, the learning context between posts)
    /// commits without a sync of its own and reaches the disk with the next synced commit, since the WAL is written in
    /// order. A power cut can therefore lose only the last of them: a post that was in flight is redone, and the learning
    /// context can fall back by one post. A killed process loses nothing. Switching costs one PRAGMA, made only on a change.
    /// </summary>
    private async Task SetSynchronousAsync(SqliteConnection connection, bool durable, CancellationToken cancellationToken)
    {
        var full = durable && _options.Synchronous == SqliteSynchronous.Full;
        if (full != _synchronousFull)
        {
            await RunAsync(connection, full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", cancellationToken).ConfigureAwait(false);
            _synchronousFull = full;
        }
    }

    private static async Task<SendRecord?> ReadSendAsync(SqliteConnection connection, SqliteTransaction transaction, BatchKey batch, string itemKey, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT item_key, channel, target, status, attempts, message_id, error, updated_at FROM sends WHERE tenant_id = $tenant AND plan_id = $plan AND item_key = $key";
        Key(command, batch);
        command.Parameters.AddWithValue("$key", itemKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadSend(reader) : null;
    }

    private static SendRecord ReadSend(SqliteDataReader reader) =>
        new(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            Enum.TryParse<SendStatus>(reader.GetString(3), out var status) ? status : throw new InvalidDataException($"The send '{reader.GetString(0)}' has an unknown status '{reader.GetString(3)}'."),
            reader.GetInt32(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture));

    private async Task<List<T>> ReadAsync<T>(string sql, BatchKey key, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        return await UseAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                Key(command, key);
                var rows = new List<T>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(Deserialize(reader.GetInt32(0), reader.GetString(1), type, $"{what} of batch '{key}'"));
                }

                return rows;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private T Deserialize<T>(int version, string json, JsonTypeInfo<T> type, string what)
    {
        if (version > RecordVersion)
        {
            throw new InvalidDataException($"The {what} in '{FullPath}' was written by a newer ContentAgent (schema {version}); this version reads schema {RecordVersion}. Upgrade ContentAgent to read it.");
        }

        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new JsonException("The record is null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The {what} in '{FullPath}' is corrupt and cannot be read: {ex.Message}", ex);
        }
    }

    private async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var path = FullPath;
        var folder = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            ForeignKeys = true,
            DefaultTimeout = (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds),
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await PrepareAsync(connection, path, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteNotADatabase)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new InvalidDataException($"'{path}' is not a ContentAgent database (it is not a SQLite file). Point ContentAgent:Store:Path (or --db) at another file.", ex);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _connection = connection;
        return connection;
    }

    private async Task PrepareAsync(SqliteConnection connection, string path, CancellationToken cancellationToken)
    {
        var synchronous = _options.Synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
        await RunAsync(connection, $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA busy_timeout = {(int)_options.BusyTimeout.TotalMilliseconds};", cancellationToken).ConfigureAwait(false);
        _synchronousFull = _options.Synchronous == SqliteSynchronous.Full;

        var tables = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (tables.Count == 0)
        {
            await RunAsync(
                connection,
                $"""
                BEGIN;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT INTO meta (key, value) VALUES ('app', '{AppName}'), ('schema_version', '{SchemaVersion}');
                CREATE TABLE plans (tenant_id TEXT NOT NULL, plan_id TEXT NOT NULL, schema_version INTEGER NOT NULL, created_at TEXT NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (tenant_id, plan_id));
                CREATE TABLE posts (tenant_id TEXT NOT NULL, plan_id TEXT NOT NULL, post_index INTEGER NOT NULL, schema_version INTEGER NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL,
                    PRIMARY KEY (tenant_id, plan_id, post_index), FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, plan_id) ON DELETE CASCADE);
                CREATE TABLE run_states (tenant_id TEXT NOT NULL, plan_id TEXT NOT NULL, schema_version INTEGER NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL,
                    PRIMARY KEY (tenant_id, plan_id), FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, plan_id) ON DELETE CASCADE);
                {SendsTable}
                {LeasesTable}
                COMMIT;
                """,
                cancellationToken).ConfigureAwait(false);
            return;
        }

        string? app = null;
        var version = 0;
        if (tables.Contains("meta"))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT key, value FROM meta WHERE key IN ('app', 'schema_version')";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.GetString(0) == "app")
                {
                    app = reader.GetString(1);
                }
                else
                {
                    _ = int.TryParse(reader.GetString(1), NumberStyles.None, CultureInfo.InvariantCulture, out version);
                }
            }
        }

        if (!string.Equals(app, AppName, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}' is a SQLite database but not a ContentAgent one. Point ContentAgent:Store:Path (or --db) at another file.");
        }

        if (version > SchemaVersion)
        {
            throw new InvalidDataException($"'{path}' was written by a newer ContentAgent (schema {version}); this version reads schema {SchemaVersion}. Upgrade ContentAgent to open it.");
        }

        if (version < 2)
        {
            // Schema 2 adds the send ledger; schema-1 rows are read as they are.
            await RunAsync(connection, $"BEGIN; {SendsTable} UPDATE meta SET value = '2' WHERE key = 'schema_version'; COMMIT;", cancellationToken).ConfigureAwait(false);
        }

        if (version < 3)
        {
            // Schema 3 keys leases by (tenant, scope, id) for batches, workflow runs and jobs alike; batch leases move over.
            await RunAsync(
                connection,
                $"""
                BEGIN;
                ALTER TABLE leases RENAME TO leases_v2;
                {LeasesTable}
                INSERT INTO leases (tenant_id, scope, id, owner, expires_at) SELECT tenant_id, '{LeaseScopes.Batch}', plan_id, owner, expires_at FROM leases_v2;
                DROP TABLE leases_v2;
                UPDATE meta SET value = '3' WHERE key = 'schema_version';
                COMMIT;
                """,
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Leases of every scope, and the trigger that removes a batch's lease with the batch.</summary>
    private const string LeasesTable =
        $"""
        CREATE TABLE leases (tenant_id TEXT NOT NULL, scope TEXT NOT NULL, id TEXT NOT NULL, owner TEXT NOT NULL, expires_at TEXT NOT NULL,
            PRIMARY KEY (tenant_id, scope, id));
        CREATE INDEX leases_expiry ON leases (scope, expires_at);
        CREATE TRIGGER plans_delete_lease AFTER DELETE ON plans BEGIN
            DELETE FROM leases WHERE tenant_id = old.tenant_id AND scope = '{LeaseScopes.Batch}' AND id = old.plan_id;
        END;
        """;

    private const string SendsTable =
        """
        CREATE TABLE IF NOT EXISTS sends (tenant_id TEXT NOT NULL, plan_id TEXT NOT NULL, item_key TEXT NOT NULL, channel TEXT NOT NULL, target TEXT NOT NULL, status TEXT NOT NULL,
            attempts INTEGER NOT NULL, message_id TEXT, error TEXT, updated_at TEXT NOT NULL,
            PRIMARY KEY (tenant_id, plan_id, item_key), FOREIGN KEY (tenant_id, plan_id) REFERENCES plans (tenant_id, plan_id) ON DELETE CASCADE);
        """;

    private static async Task RunAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
