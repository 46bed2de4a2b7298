using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Tests.Persistence;

/// <summary>An upgrade as an installation meets it: a SQLite file made by the migrations up to one of them, holding an
/// instance that waits on a ten-minute timer; the next node's start upgrades the file, and the instance must then go
/// on to its end. Each schema change's upgrade test adds its own rows before the upgrade and its own checks after.</summary>
public sealed class SqliteUpgrade : IAsyncDisposable
{
    /// <summary>The process every upgrade test leaves waiting: start, a ten-minute timer, end.</summary>
    public const string WaitsOnATimer = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
          <bpmn:process id="waits-across-upgrade" isExecutable="true">
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="pause" />
            <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="f2" sourceRef="pause" targetRef="end" /><bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private readonly SqliteEngine sqlite = new();

    private SqliteUpgrade()
    {
    }

    public DatabaseOptions Database => sqlite.Database;

    /// <summary>The instance waiting on its timer since before the upgrade.</summary>
    public Guid Waiting { get; private set; }

    /// <summary>The node started after the upgrade.</summary>
    public DurableEngine? Upgraded { get; private set; }

    /// <summary>A file at the schema of <paramref name="before"/> (a migration id) with its waiting instance.</summary>
    public static async Task<SqliteUpgrade> AtAsync(string before)
    {
        var upgrade = new SqliteUpgrade();
        await using (var db = upgrade.Database.Open())
            await db.GetService<IMigrator>().MigrateAsync(before);
        var key = await upgrade.sqlite.PublishAsync(WaitsOnATimer);
        var started = await upgrade.sqlite.Engine.Instances.StartAsync(key, null, null, null, CancellationToken.None);
        upgrade.Waiting = Guid.Parse(started.InstanceId);
        return upgrade;
    }

    /// <summary>Starts a node on the file, which upgrades it.</summary>
    public async Task<DurableEngine> UpgradeAsync()
    {
        Upgraded = sqlite.New();
        await Upgraded.InitializeAsync(CancellationToken.None);
        return Upgraded;
    }

    /// <summary>Moves the clock past the timer and checks the waiting instance ends on the upgraded node.</summary>
    public async Task AssertTheWaitingInstanceRunsToItsEndAsync()
    {
        var node = Upgraded ?? throw new InvalidOperationException("Upgrade first.");
        sqlite.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, await node.Worker.DrainAsync(CancellationToken.None));
        var detail = (await node.Queries.GetAsync(Waiting, CancellationToken.None))!;
        Assert.Equal("completed", detail.Summary.Status);
        Assert.Equal(["start", "pause", "end"], detail.History.Where(h => h.Kind == "Completed").Select(h => h.ElementId));
    }

    public async Task<List<string>> TablesAsync()
    {
        await using var db = Database.Open();
        return await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table'").ToListAsync();
    }

    public async Task<List<string>> AppliedAsync()
    {
        await using var db = Database.Open();
        return (await db.Database.GetAppliedMigrationsAsync()).ToList();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var db = Database.Open();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    public ValueTask DisposeAsync() => new(sqlite.DisposeAsync());
}
