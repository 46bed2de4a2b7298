using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Engine.Executors;
using WeOps.Engine.Persistence;
using WeOps.Engine.Tests.Conformance;
using WeOps.Engine.Time;

namespace WeOps.Engine.Tests.Persistence;

/// <summary>A durable engine on a fresh SQLite file in the temp folder, deleted afterwards.</summary>
public sealed class SqliteEngine : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "weops-tests", Guid.NewGuid().ToString("N"));

    public SqliteEngine()
    {
        Database = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "weops.db")}");
        Engine = New();
    }

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero));
    public DatabaseOptions Database { get; }
    public DurableEngine Engine { get; }

    /// <summary>Another node's object graph on the same file (a restart, or a second node).</summary>
    public DurableEngine New() =>
        new(Database, new ExecutorCatalog([new NoopExecutor(), new FailingExecutor(), new SleepingExecutor()]), NullLoggerFactory.Instance, Clock,
            new WorkerOptions { Parallelism = 4, PollInterval = TimeSpan.FromMilliseconds(20) });

    public Task InitializeAsync() => Engine.InitializeAsync(CancellationToken.None);

    public async Task<string> PublishAsync(string xml)
    {
        var saved = await Engine.Definitions.SaveDraftAsync(xml, "tester", CancellationToken.None);
        Assert.NotNull(saved.Key);
        await Engine.Definitions.PublishAsync(saved.Key!, null, "tester", CancellationToken.None);
        return saved.Key!;
    }

    public Task DisposeAsync()
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
