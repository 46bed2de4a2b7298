using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WeOps.Engine.Persistence;

/// <summary>One SQLite database file as the engine uses it: the node's queue of writers, how every connection of the
/// engine waits for the file's write lock, and checkpoints of its write-ahead log kept off the commit path. Two stalls
/// held up every writer queued behind the one that met them (50 to 250 ms under an alert storm):
/// <list type="bullet">
/// <item>Microsoft.Data.Sqlite answers a locked file by sleeping 150 ms and trying again, so a node's heartbeat, which
/// holds the lock for a millisecond, cost the step that met it 150 ms. Each connection here gives SQLite itself the
/// wait (<c>sqlite3_busy_timeout</c>), which tries again within milliseconds.</item>
/// <item>The commit that took the log past 1,000 pages copied the log into the database file and synced it before it
/// returned, still holding the write lock. Here no connection checkpoints when it commits; when a connection of the
/// engine closes (a unit of work is done), a passive checkpoint runs in the background on a connection of its own, at
/// most once per <see cref="CheckpointInterval"/>. A passive checkpoint waits for no reader and no writer, so commits go
/// on meanwhile, and it is next to free when there is nothing to copy.</item>
/// </list>
/// Durability is the same: a commit is synced to the log either way, and a log not yet checkpointed is read (and
/// replayed after a crash) like any other.</summary>
internal sealed class SqliteFile : IDbConnectionInterceptor
{
    /// <summary>How often at most a checkpoint runs while the engine uses the file.</summary>
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    private readonly int busyTimeoutMilliseconds;

    /// <summary>The checkpoint's own connection never creates the file: one that is gone (a deleted test folder) stays gone.</summary>
    private readonly string checkpointConnectionString;
    private long lastCheckpoint;
    private int checkpointing;
    private long checkpoints;

    public SqliteFile(string connectionString)
    {
        ConnectionString = connectionString;
        busyTimeoutMilliseconds = new SqliteConnectionStringBuilder(connectionString).DefaultTimeout * 1000;
        checkpointConnectionString = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWrite }.ToString();
        lastCheckpoint = Environment.TickCount64 - (long)CheckpointInterval.TotalMilliseconds;
    }

    public string ConnectionString { get; }

    /// <summary>SQLite lets one writer in at a time; the node's writers queue here, in memory, instead of on the file.</summary>
    public SemaphoreSlim Writers { get; } = new(1, 1);

    /// <summary>Checkpoints run to their end since the file was first opened by this process.</summary>
    public long Checkpoints => Interlocked.Read(ref checkpoints);

    public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Configure(connection);

    public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Configure(connection);
        return Task.CompletedTask;
    }

    // Only connection events: interceptors of commands and transactions make EF Core describe every statement to them,
    // which cost a tenth of a step's CPU; a unit of work that wrote has closed its connection by the time it is done.
    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => AfterClose();

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        AfterClose();
        return Task.CompletedTask;
    }

    /// <summary>Both settings are the connection's and a pooled connection keeps them; setting them again is two plain calls.</summary>
    private void Configure(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle }) return;
        SQLitePCL.raw.sqlite3_busy_timeout(handle, busyTimeoutMilliseconds);
        SQLitePCL.raw.sqlite3_wal_autocheckpoint(handle, 0);
    }

    /// <summary>Starts a checkpoint in the background unless one is running or one started less than an interval ago.</summary>
    private void AfterClose()
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref lastCheckpoint) < (long)CheckpointInterval.TotalMilliseconds) return;
        if (Interlocked.CompareExchange(ref checkpointing, 1, 0) != 0) return;
        Interlocked.Exchange(ref lastCheckpoint, now);
        _ = Task.Run(CheckpointAsync);
    }

    private async Task CheckpointAsync()
    {
        try
        {
            await using var connection = new SqliteConnection(checkpointConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            await command.ExecuteNonQueryAsync();
            Interlocked.Increment(ref checkpoints);
        }
        catch (SqliteException)
        {
            // Only a file that is gone, an I/O error or a damaged file fails a passive checkpoint; the commits that need
            // the same file fail with it and are logged where they run. The log stays whole, and the next connection
            // that closes tries again.
        }
        finally
        {
            Volatile.Write(ref checkpointing, 0);
        }
    }
}
