using WeOps.Engine.Persistence;

namespace WeOps.Engine.Tests.Conformance;

/// <summary>A SQLite file in the temp folder for the conformance fixtures, deleted afterwards.</summary>
public sealed class SqliteConformanceDatabase : ConformanceDatabase
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "weops-tests", Guid.NewGuid().ToString("N"));

    protected override Task<DatabaseOptions> CreateAsync() =>
        Task.FromResult(new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "conformance.db")}"));

    protected override Task DropAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}

/// <summary>Every conformance fixture on the durable engine over SQLite.</summary>
public sealed class SqliteConformanceTests(SqliteConformanceDatabase database) : ConformanceSuite(database), IClassFixture<SqliteConformanceDatabase>;
