using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Engine.Executors;
using WeOps.Engine.Persistence;
using WeOps.Engine.Time;

namespace WeOps.Integration.Tests.Schema;

/// <summary>An upgrade as an installation meets it: a PostgreSQL database made by the migrations up to one of them,
/// holding an instance that waits on a ten-minute timer; the next node's start upgrades it, and the instance must then
/// go on to its end. Each schema change's upgrade test adds its own rows before the upgrade and its own checks after.</summary>
public sealed class PostgresUpgrade : IAsyncDisposable
{
    public const string WaitsOnATimer = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
          <bpmn:process id="waits-across-upgrade" isExecutable="true">
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="pause" />
            <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="f2" sourceRef="pause" targetRef="end" /><bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private readonly PostgresDatabase database = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero));

    private PostgresUpgrade()
    {
    }

    public DatabaseOptions Options => new(DatabaseProvider.Postgres, database.ConnectionString);

    /// <summary>The instance waiting on its timer since before the upgrade.</summary>
    public Guid Waiting { get; private set; }

    /// <summary>The node started after the upgrade.</summary>
    public DurableEngine? Upgraded { get; private set; }

    /// <summary>A database at the schema of <paramref name="before"/> (a migration id) with its waiting instance.</summary>
    public static async Task<PostgresUpgrade> AtAsync(string before)
    {
        var upgrade = new PostgresUpgrade();
        await upgrade.database.InitializeAsync();
        await using (var db = upgrade.Options.Open())
            await db.GetService<IMigrator>().MigrateAsync(before);
        var old = upgrade.Node();
        var saved = await old.Definitions.SaveDraftAsync(WaitsOnATimer, "tester", CancellationToken.None);
        await old.Definitions.PublishAsync(saved.Key!, null, "tester", CancellationToken.None);
        var started = await old.Instances.StartAsync(saved.Key!, null, null, null, CancellationToken.None);
        upgrade.Waiting = Guid.Parse(started.InstanceId);
        return upgrade;
    }

    /// <summary>Starts a node on the database, which upgrades it.</summary>
    public async Task<DurableEngine> UpgradeAsync()
    {
        Upgraded = Node();
        await Upgraded.InitializeAsync(CancellationToken.None);
        return Upgraded;
    }

    /// <summary>Moves the clock past the timer and checks the waiting instance ends on the upgraded node.</summary>
    public async Task AssertTheWaitingInstanceRunsToItsEndAsync()
    {
        var node = Upgraded ?? throw new InvalidOperationException("Upgrade first.");
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, await node.Worker.DrainAsync(CancellationToken.None));
        var detail = (await node.Queries.GetAsync(Waiting, CancellationToken.None))!;
        Assert.Equal("completed", detail.Summary.Status);
        Assert.Equal(["start", "pause", "end"], detail.History.Where(h => h.Kind == "Completed").Select(h => h.ElementId));
    }

    public async Task<List<string>> TablesAsync()
    {
        await using var db = Options.Open();
        return await db.Database.SqlQueryRaw<string>("SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public'").ToListAsync();
    }

    public async Task<List<string>> AppliedAsync()
    {
        await using var db = Options.Open();
        return (await db.Database.GetAppliedMigrationsAsync()).ToList();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var db = Options.Open();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    public ValueTask DisposeAsync() => new(database.DisposeAsync());

    private DurableEngine Node() =>
        new(Options, new ExecutorCatalog([]), NullLoggerFactory.Instance, clock, new WorkerOptions { Parallelism = 2, PollInterval = TimeSpan.FromMilliseconds(20) });
}
