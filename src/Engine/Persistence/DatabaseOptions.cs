using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace WeOps.Engine.Persistence;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Which database the engine keeps its state in.</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SqliteFile> SqliteFiles = new(StringComparer.Ordinal);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<DatabaseOptions, PooledDbContextFactory<WeOpsDb>> Contexts = new();

    /// <summary>Contexts kept for reuse per database. Each step opens several; building one from nothing (its
    /// options, its service scope, its sets) cost more than a tenth of a step's CPU.</summary>
    private const int ContextPoolSize = 256;

    /// <summary>A unit of work on this database, from a pool: disposing it resets it and gives it back.</summary>
    public WeOpsDb Open() =>
        Contexts.GetOrAdd(this, _ => new PooledDbContextFactory<WeOpsDb>(ContextOptions(), ContextPoolSize)).CreateDbContext();

    /// <summary>The SQLite file of these options, as this process uses it (<see cref="Persistence.SqliteFile"/>); null on PostgreSQL.
    /// Every SQLite write asks for it, so the lookup passes these options instead of capturing them in a new delegate.</summary>
    internal SqliteFile? SqliteFile => Provider == DatabaseProvider.Sqlite
        ? SqliteFiles.GetOrAdd(ConnectionString, static (_, options) => new SqliteFile(options.SqliteConnectionString()), this)
        : null;

    /// <summary>SQLite lets one writer in at a time and makes the others sleep and retry; queueing the
    /// node's writers in memory instead keeps the file busy without those sleeps. PostgreSQL needs no
    /// gate: rows are locked one by one.</summary>
    public async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken)
    {
        if (SqliteFile is not { } file) return null;
        var gate = file.Writers;
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) gate.Release();
        }
    }

    /// <summary>Configures a context for the provider. SQLite connections wait for the write lock and leave checkpoints
    /// to the background (<see cref="Persistence.SqliteFile"/>).</summary>
    public DbContextOptions<WeOpsDb> ContextOptions()
    {
        var builder = new DbContextOptionsBuilder<WeOpsDb>();
        switch (Provider)
        {
            case DatabaseProvider.Sqlite:
                var file = SqliteFile!;
                builder.UseSqlite(file.ConnectionString).AddInterceptors(file);
                break;
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(PostgresConnectionString());
                break;
        }

        // The migrations are written by hand and checked against the model by a test instead of by
        // comparing with a snapshot the design-time tools would write.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        return builder.Options;
    }

    private string SqliteConnectionString()
    {
        var csb = new SqliteConnectionStringBuilder(ConnectionString) { DefaultTimeout = 30, Pooling = true };
        if (csb.DataSource is { Length: > 0 } file && file != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir)
            Directory.CreateDirectory(dir);
        return csb.ToString();
    }

    /// <summary>Statements each pooled PostgreSQL connection keeps prepared (Npgsql's <c>Max Auto Prepare</c>), once
    /// run five times: a step runs the same dozen statements again and again, and parsing each anew (with the
    /// DISCARD ALL of every pooled connection taken) was a fifth of PostgreSQL's CPU.</summary>
    public const int PostgresPreparedStatements = 64;

    /// <summary>The connection string with WeOps' defaults where it sets nothing itself: statements prepared
    /// automatically, and no reset of a pooled connection each time it is taken (the engine leaves no session
    /// state behind: no SET, no session locks on pooled connections), which cost PostgreSQL a DISCARD ALL per
    /// transaction. Prepared statements are still planned at each run (<c>plan_cache_mode=force_custom_plan</c>, added
    /// to any <c>Options</c> given): a generic plan made while a table was empty, as every table is on a new database,
    /// kept scanning the whole table when it had thousands of rows (straight-through fell from 1,000 to 220 instances
    /// a second until autovacuum analysed the table).</summary>
    public string PostgresConnectionString()
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = ConnectionString };
        bool Sets(params string[] keys) => keys.Any(given.ContainsKey);
        var csb = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        if (!Sets("Max Auto Prepare", "MaxAutoPrepare")) csb.MaxAutoPrepare = PostgresPreparedStatements;
        if (!Sets("No Reset On Close", "NoResetOnClose")) csb.NoResetOnClose = true;
        if (csb.Options?.Contains("plan_cache_mode", StringComparison.Ordinal) != true)
            csb.Options = string.Join(' ', new[] { csb.Options, "-c plan_cache_mode=force_custom_plan" }.Where(o => !string.IsNullOrWhiteSpace(o)));
        return csb.ConnectionString;
    }

    /// <summary>Any fixed number: the advisory lock PostgreSQL nodes take while they migrate.</summary>
    private const long MigrationLockId = 0x5745_4f70_7300;

    /// <summary>Creates or upgrades the schema; on SQLite also switches the file to write-ahead logging
    /// so readers do not block the writer.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        // Nodes started together on a new PostgreSQL database would otherwise run the same migration at
        // once, and all but one fail ("relation already exists"). The lock is the session's: closing the
        // connection, which is not pooled, releases it.
        await using var migrationLock = Provider == DatabaseProvider.Postgres
            ? new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString)
            : null;
        if (migrationLock is not null)
        {
            await migrationLock.OpenAsync(cancellationToken);
            await using var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockId})", migrationLock);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var db = Open();
        await db.Database.MigrateAsync(cancellationToken);
        if (Provider == DatabaseProvider.Sqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
