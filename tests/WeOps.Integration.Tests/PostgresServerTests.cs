using Npgsql;

namespace WeOps.Integration.Tests;

/// <summary>The server that ./test.sh starts (or WEOPS_TEST_POSTGRES names) is a real PostgreSQL
/// on the loopback address, and a test class gets a database of its own.</summary>
public sealed class PostgresServerTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Postgres_on_loopback_answers()
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("select version(), host(inet_server_addr()), current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.StartsWith("PostgreSQL ", reader.GetString(0), StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", reader.GetString(1));
        Assert.Equal(database.Name, reader.GetString(2));
    }
}
