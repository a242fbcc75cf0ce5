using System.ComponentModel.DataAnnotations;

namespace ContentAgent.Storage;

/// <summary>Options of the embedded SQLite store.</summary>
public sealed class SqliteBatchStoreOptions
{
    /// <summary>Gets or sets the database file; created with its folder when missing.</summary>
    /// <value>The default value is <c>contentagent.db</c> in the current folder.</value>
    [Required]
    public string Path { get; set; } = "contentagent.db";

    /// <summary>
    /// Gets or sets how hard SQLite works to make each write durable. <see cref="SqliteSynchronous.Full"/> (the default)
    /// survives a power cut or a machine restart: every committed post is on disk. <see cref="SqliteSynchronous.Normal"/>
    /// survives a killed process but may lose the last writes on a power cut, and is faster.
    /// </summary>
    /// <value>The default value is <see cref="SqliteSynchronous.Full"/>.</value>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>Gets or sets how long a write waits for another process's lock before failing.</summary>
    /// <value>The default value is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>SQLite's <c>synchronous</c> setting, in WAL mode.</summary>
public enum SqliteSynchronous
{
    /// <summary>Sync the WAL at every commit: durable across power loss.</summary>
    Full,

    /// <summary>Sync at checkpoints only: durable across a killed process, not across power loss.</summary>
    Normal,
}
