using WeOps.Engine.Persistence;
using WeOps.Engine.Tests.Conformance;

namespace WeOps.Integration.Tests.Conformance;

/// <summary>A database of its own on the test server for the conformance fixtures, dropped afterwards.</summary>
public sealed class PostgresConformanceDatabase : ConformanceDatabase
{
    private readonly PostgresDatabase database = new();

    protected override async Task<DatabaseOptions> CreateAsync()
    {
        await database.InitializeAsync();
        return new DatabaseOptions(DatabaseProvider.Postgres, database.ConnectionString);
    }

    protected override Task DropAsync() => database.DisposeAsync();
}

/// <summary>Every conformance fixture on the durable engine over PostgreSQL.</summary>
public sealed class PostgresConformanceTests(PostgresConformanceDatabase database) : ConformanceSuite(database), IClassFixture<PostgresConformanceDatabase>;
