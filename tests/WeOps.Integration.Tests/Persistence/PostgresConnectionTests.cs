using Microsoft.EntityFrameworkCore;
using Npgsql;
using WeOps.Engine.Persistence;

namespace WeOps.Integration.Tests.Persistence;

/// <summary>The engine's PostgreSQL connections: statements prepared once per connection, pooled connections not
/// reset each time they are taken, the migration's session lock gone with its connection, and whatever the
/// operator's connection string sets left as it is.</summary>
public sealed class PostgresConnectionTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public void A_connection_string_that_sets_neither_gets_prepared_statements_and_no_reset()
    {
        var csb = new NpgsqlConnectionStringBuilder(new DatabaseOptions(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=weops").PostgresConnectionString());

        Assert.Equal(DatabaseOptions.PostgresPreparedStatements, csb.MaxAutoPrepare);
        Assert.True(csb.NoResetOnClose);
        Assert.Equal("-c plan_cache_mode=force_custom_plan", csb.Options);
        Assert.Equal("weops", csb.Database);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=127.0.0.1;MaxAutoPrepare=0;NoResetOnClose=false")]
    public void What_the_connection_string_sets_is_kept(string connection)
    {
        var csb = new NpgsqlConnectionStringBuilder(new DatabaseOptions(DatabaseProvider.Postgres, connection).PostgresConnectionString());

        Assert.Equal(0, csb.MaxAutoPrepare);
        Assert.False(csb.NoResetOnClose);
    }

    [Fact]
    public void Options_of_its_own_keep_theirs_and_get_plans_made_at_each_run()
    {
        var options = new DatabaseOptions(DatabaseProvider.Postgres, "Host=127.0.0.1;Options=-c search_path=ops").PostgresConnectionString();
        Assert.Equal("-c search_path=ops -c plan_cache_mode=force_custom_plan", new NpgsqlConnectionStringBuilder(options).Options);

        var chosen = new DatabaseOptions(DatabaseProvider.Postgres, "Host=127.0.0.1;Options=-c plan_cache_mode=auto").PostgresConnectionString();
        Assert.Equal("-c plan_cache_mode=auto", new NpgsqlConnectionStringBuilder(chosen).Options);
    }

    /// <summary>A generic plan cached while the table was empty would go on scanning all of it once it is full.</summary>
    [Fact]
    public async Task A_prepared_statement_is_planned_for_its_values_at_each_run_not_once_for_all()
    {
        var options = new DatabaseOptions(DatabaseProvider.Postgres, database.ConnectionString);
        await options.MigrateAsync();
        await using var db = options.Open();
        await db.Database.OpenConnectionAsync();
        for (var i = 0; i < 12; i++) await db.Jobs.CountAsync(j => j.Kind == "plan-" + i);

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%FROM jobs%'";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the repeated count over jobs was not prepared");
        Assert.Equal(0L, reader.GetInt64(0));
        Assert.True(reader.GetInt64(1) > 5, $"custom plans: {reader.GetInt64(1)}");
    }

    [Fact]
    public async Task A_query_run_again_on_a_connection_runs_as_a_prepared_statement()
    {
        var options = new DatabaseOptions(DatabaseProvider.Postgres, database.ConnectionString);
        await options.MigrateAsync();
        await using var db = options.Open();
        await db.Database.OpenConnectionAsync();
        // Npgsql prepares a statement once it has run five times on the connection (Auto Prepare Min Usages).
        for (var i = 0; i < 6; i++) await db.Jobs.CountAsync(j => j.Kind == "bench-" + i);

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM jobs%'";
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 1, "the repeated count over jobs was not prepared on its connection");
    }

    [Fact]
    public async Task Migrating_leaves_no_session_lock_behind()
    {
        var options = new DatabaseOptions(DatabaseProvider.Postgres, database.ConnectionString);
        await options.MigrateAsync();

        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", connection);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }
}
