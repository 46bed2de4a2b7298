using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Tests.Persistence;

/// <summary>The migrations are written by hand; the schema they build must be the one the model describes.</summary>
public sealed class SchemaTests
{
    [Fact]
    public async Task Migrated_sqlite_schema_equals_the_schema_of_the_model()
    {
        var folder = Path.Combine(Path.GetTempPath(), "weops-tests", Guid.NewGuid().ToString("N"));
        var migrated = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "migrated.db")}");
        var modelled = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "modelled.db")}");
        try
        {
            await migrated.MigrateAsync();
            await using (var db = new WeOpsDb(modelled.ContextOptions()))
                await db.Database.EnsureCreatedAsync();

            var expected = await DescribeAsync(modelled);
            var actual = await DescribeAsync(migrated);
            Assert.Equal(expected, actual);
            Assert.Contains(expected, line => line.StartsWith("jobs.due_at INTEGER", StringComparison.Ordinal));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Migrating_twice_changes_nothing()
    {
        var folder = Path.Combine(Path.GetTempPath(), "weops-tests", Guid.NewGuid().ToString("N"));
        var options = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "weops.db")}");
        try
        {
            await options.MigrateAsync();
            var first = await DescribeAsync(options);
            await options.MigrateAsync();
            Assert.Equal(first, await DescribeAsync(options));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every column (name, type, nullability, key) and index of the tables, as sorted lines.</summary>
    private static async Task<List<string>> DescribeAsync(DatabaseOptions options)
    {
        await using var db = new WeOpsDb(options.ContextOptions());
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        var lines = new List<string>();
        var tables = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EFMigrations%'";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        foreach (var table in tables)
        {
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"PRAGMA table_info('{table}')";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    lines.Add($"{table}.{reader.GetString(1)} {reader.GetString(2)} notnull={reader.GetInt64(3)} pk={reader.GetInt64(5)}");
            }

            await using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}' AND sql IS NOT NULL";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) lines.Add($"index {reader.GetString(1).Replace("\"", "", StringComparison.Ordinal)}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
