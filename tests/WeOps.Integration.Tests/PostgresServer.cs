using Npgsql;

namespace WeOps.Integration.Tests;

/// <summary>The PostgreSQL server the tests run against, named by the WEOPS_TEST_POSTGRES connection
/// string (an Npgsql one: <c>Host=127.0.0.1;Port=55432;Username=weops;Password=weops;Database=weops</c>).
/// <c>./test.sh</c> starts a throwaway server on 127.0.0.1 and sets it. The role must be allowed to
/// create and drop databases. Without it the tests fail, they are not skipped.</summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "WEOPS_TEST_POSTGRES";

    /// <summary>The connection string from <see cref="EnvironmentVariable"/>.</summary>
    /// <exception cref="InvalidOperationException">It is not set or is not a connection string.</exception>
    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new InvalidOperationException(
                    $"{EnvironmentVariable} is not set, so these tests have no PostgreSQL server. Run ./test.sh, which " +
                    "installs PostgreSQL if needed, starts it on 127.0.0.1 and sets it; or set it yourself to an " +
                    "Npgsql connection string of a server where the role may create databases, e.g. " +
                    "Host=127.0.0.1;Port=5432;Username=weops;Password=weops;Database=weops");
            }

            try
            {
                return new NpgsqlConnectionStringBuilder(value).ConnectionString;
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException($"{EnvironmentVariable} is not an Npgsql connection string: {e.Message}", e);
            }
        }
    }

    /// <summary>The same server and credentials, connected to another database.</summary>
    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;
}

/// <summary>A fresh, empty database of its own for one test class (use it as a class fixture),
/// dropped when the class's tests are done.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    /// <summary>weops_test_ and 32 hex digits: unique, and easy to spot on a shared server.</summary>
    public string Name { get; } = $"weops_test_{Guid.NewGuid():N}";

    /// <summary>The connection string of this database.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task InitializeAsync()
    {
        var server = PostgresServer.ConnectionString;
        ConnectionString = PostgresServer.ConnectionStringFor(Name);
        await ExecuteAsync(server, $"create database \"{Name}\"");
    }

    public async Task DisposeAsync()
    {
        if (ConnectionString.Length == 0) return;
        // Pooled connections would keep the database open; FORCE ends any a test left behind.
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        await ExecuteAsync(PostgresServer.ConnectionString, $"drop database if exists \"{Name}\" with (force)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
