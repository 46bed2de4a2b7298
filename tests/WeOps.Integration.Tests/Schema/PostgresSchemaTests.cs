using Microsoft.EntityFrameworkCore;
using Npgsql;
using WeOps.Engine.Model;
using WeOps.Engine.Persistence;

namespace WeOps.Integration.Tests.Schema;

/// <summary>The migrations are written by hand; on PostgreSQL the schema they build must be the one the
/// EF model describes (column types, nullability, lengths, identity, indexes, keys), and running them
/// again must change nothing.</summary>
public sealed class PostgresSchemaTests
{
    [Fact]
    public async Task Migrated_postgres_schema_equals_the_schema_of_the_model()
    {
        await using var migrated = await ScratchDatabase.CreateAsync();
        await using var modelled = await ScratchDatabase.CreateAsync();

        await migrated.Options.MigrateAsync();
        await using (var db = new WeOpsDb(modelled.Options.ContextOptions()))
            Assert.True(await db.Database.EnsureCreatedAsync());

        var expected = await DescribeAsync(modelled);
        var actual = await DescribeAsync(migrated);
        Assert.Empty(Differences(expected, actual));
        Assert.Equal(expected, actual);

        // The comparison is only worth something if the description sees what matters.
        Assert.Contains("column jobs.due_at bigint not null", expected);
        Assert.Contains("column history.id bigint not null identity BY DEFAULT", expected);
        Assert.Contains("column instances.started_at timestamp with time zone not null", expected);
        Assert.Contains("column definitions.key character varying(200) not null", expected);
        Assert.Contains("primary key definition_versions.pk_definition_versions (key, version)", expected);
        Assert.Contains("index ux_api_keys_hash CREATE UNIQUE INDEX ux_api_keys_hash ON api_keys USING btree (hash)", expected);
    }

    [Fact]
    public async Task Migrating_twice_changes_nothing()
    {
        await using var database = await ScratchDatabase.CreateAsync();

        await database.Options.MigrateAsync();
        var first = await DescribeAsync(database);
        var history = await AppliedMigrationsAsync(database);
        await database.Options.MigrateAsync();

        var second = await DescribeAsync(database);
        Assert.Empty(Differences(first, second));
        Assert.Equal(first, second);
        Assert.Equal(history, await AppliedMigrationsAsync(database));
        await using var db = new WeOpsDb(database.Options.ContextOptions());
        Assert.Equal(db.Database.GetMigrations().Order(StringComparer.Ordinal), history);
        Assert.Contains("20261122000001_Initial", history);
    }

    /// <summary>The validator and the interpreter refuse ids, names and keys longer than <see cref="StoredLengths"/>
    /// so that PostgreSQL never has to: those lengths must be the lengths of the columns.</summary>
    [Fact]
    public async Task The_lengths_the_engine_checks_are_the_lengths_of_the_columns()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        await database.Options.MigrateAsync();

        var lengths = new Dictionary<string, int>();
        await using (var connection = await database.OpenAsync())
        {
            await ReadAsync(connection, """
                SELECT table_name || '.' || column_name, character_maximum_length FROM information_schema.columns
                WHERE table_schema = 'public' AND character_maximum_length IS NOT NULL
                """, r => lengths[r.GetString(0)] = r.GetInt32(1));
        }

        string[] keys =
        [
            "definitions.key", "definition_versions.key", "instances.definition_key", "instances.business_key", "history.element_id",
            "jobs.element_id", "user_tasks.element_id", "user_tasks.assignee", "user_tasks.form_key", "subscriptions.name",
            "subscriptions.correlation_key", "subscriptions.element_id",
        ];
        Assert.All(keys, column => Assert.Equal((column, StoredLengths.Key), (column, lengths[column])));
        Assert.All(["definitions.name", "definition_versions.name", "user_tasks.name"], column => Assert.Equal((column, StoredLengths.Name), (column, lengths[column])));
        Assert.All(["user_tasks.candidate_groups", "user_tasks.candidate_users"], column => Assert.Equal((column, StoredLengths.CandidateList), (column, lengths[column])));
    }

    /// <summary>The schema as sorted lines: every column (type, length, nullability, default, identity), every
    /// index with its definition, every primary key, unique and foreign key constraint with its columns, and
    /// every sequence. EF's own migrations history table is left out: only the migrated database has it.</summary>
    private static async Task<List<string>> DescribeAsync(ScratchDatabase database)
    {
        await using var connection = await database.OpenAsync();
        var lines = new List<string>();

        await ReadAsync(connection, """
            SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default, is_identity, identity_generation
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            """, r => lines.Add(
                $"column {r.GetString(0)}.{r.GetString(1)} {r.GetString(2)}"
                + (r.IsDBNull(3) ? "" : $"({r.GetInt32(3)})")
                + (r.GetString(4) == "YES" ? " null" : " not null")
                + (r.IsDBNull(5) ? "" : $" default {r.GetString(5)}")
                + (r.GetString(6) == "YES" ? $" identity {r.GetString(7)}" : "")));

        await ReadAsync(connection, """
            SELECT indexname, indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
            """, r => lines.Add($"index {r.GetString(0)} {Normalised(r.GetString(1), database.Name)}"));

        await ReadAsync(connection, """
            SELECT c.contype, t.relname, c.conname,
                   (SELECT string_agg(a.attname, ', ' ORDER BY k.n)
                    FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_namespace s ON s.oid = t.relnamespace
            WHERE s.nspname = 'public' AND c.contype IN ('p', 'u', 'f') AND t.relname <> '__EFMigrationsHistory'
            """, r => lines.Add(
                $"{r.GetChar(0) switch { 'p' => "primary key", 'u' => "unique", _ => "foreign key" }} {r.GetString(1)}.{r.GetString(2)} ({r.GetString(3)})"));

        await ReadAsync(connection, """
            SELECT sequencename, data_type::text, start_value, increment_by FROM pg_sequences WHERE schemaname = 'public'
            """, r => lines.Add($"sequence {r.GetString(0)} {r.GetString(1)} start {r.GetInt64(2)} by {r.GetInt64(3)}"));

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>The lines one description has and the other lacks, each saying on which side it is.</summary>
    private static List<string> Differences(List<string> expected, List<string> actual) =>
        [.. expected.Except(actual).Select(line => $"expected only: {line}"), .. actual.Except(expected).Select(line => $"actual only:   {line}")];

    private static async Task<List<string>> AppliedMigrationsAsync(ScratchDatabase database)
    {
        await using var connection = await database.OpenAsync();
        var ids = new List<string>();
        await ReadAsync(connection, """SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """, r => ids.Add(r.GetString(0)));
        return ids;
    }

    /// <summary>An index definition without what differs between two databases with the same schema.</summary>
    private static string Normalised(string indexdef, string databaseName) =>
        indexdef.Replace("public.", "", StringComparison.Ordinal)
            .Replace(databaseName + ".", "", StringComparison.Ordinal)
            .Replace("\"", "", StringComparison.Ordinal);

    private static async Task ReadAsync(NpgsqlConnection connection, string sql, Action<NpgsqlDataReader> line)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) line(reader);
    }

    /// <summary>An empty database for one test, dropped afterwards.</summary>
    private sealed class ScratchDatabase : IAsyncDisposable
    {
        private readonly PostgresDatabase database = new();

        public string Name => database.Name;

        public DatabaseOptions Options => new(DatabaseProvider.Postgres, database.ConnectionString);

        public static async Task<ScratchDatabase> CreateAsync()
        {
            var scratch = new ScratchDatabase();
            await scratch.database.InitializeAsync();
            return scratch;
        }

        public Task<NpgsqlConnection> OpenAsync() => database.OpenConnectionAsync();

        public async ValueTask DisposeAsync() => await database.DisposeAsync();
    }
}
