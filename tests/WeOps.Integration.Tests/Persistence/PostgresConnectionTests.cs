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
