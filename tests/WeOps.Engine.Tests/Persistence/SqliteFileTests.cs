using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Tests.Persistence;

/// <summary>How the engine's connections use a SQLite file (<see cref="SqliteFile"/>): SQLite waits for the write lock,
/// commits leave checkpoints to the background, and writes are checkpointed there.</summary>
public sealed class SqliteFileTests : IAsyncLifetime
{
    private readonly SqliteEngine sqlite = new();

    public Task InitializeAsync() => sqlite.InitializeAsync();

    public Task DisposeAsync() => sqlite.DisposeAsync();

    private static async Task<object> PragmaAsync(WeOpsDb db, string pragma)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";
        return (await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Every_connection_of_the_engine_waits_for_the_write_lock_in_sqlite_and_does_not_checkpoint_when_it_commits()
    {
        await using var db = sqlite.Database.Open();
        await db.Database.OpenConnectionAsync();

        Assert.Equal(30_000L, await PragmaAsync(db, "busy_timeout"));
        Assert.Equal(0L, await PragmaAsync(db, "wal_autocheckpoint"));
        Assert.Equal("wal", await PragmaAsync(db, "journal_mode"));
    }

    [Fact]
    public async Task Writes_are_checkpointed_in_the_background()
    {
        var file = sqlite.Database.SqliteFile!;
        var before = file.Checkpoints;
        var watch = Stopwatch.StartNew();
        while (file.Checkpoints == before)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "no checkpoint ran within 30 s of writes");
            await using (var db = sqlite.Database.Open())
                await db.Nodes.Where(n => n.Id == "nobody").ExecuteDeleteAsync();
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_write_waits_for_a_lock_another_connection_holds_and_then_commits()
    {
        var file = sqlite.Database.SqliteFile!;
        await using var other = new SqliteConnection(file.ConnectionString);
        await other.OpenAsync();
        await using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }

        var write = Task.Run(async () =>
        {
            await using var db = sqlite.Database.Open();
            return await db.Nodes.Where(n => n.Id == "nobody").ExecuteUpdateAsync(u => u.SetProperty(n => n.Host, "h"));
        });
        await Task.Delay(200);
        Assert.False(write.IsCompleted, "the write went through while another connection held the write lock");

        await using (var commit = other.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        }

        Assert.Equal(0, await write.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
