using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Engine.Approvals;
using WeOps.Engine.Executors;
using WeOps.Engine.Persistence;
using WeOps.Engine.Time;

namespace WeOps.Integration.Tests.Schema;

/// <summary>A PostgreSQL database made by the migrations before approval replies, with an instance waiting on a timer,
/// is upgraded at the next start: the reply ledger works on it and the instance goes on to its end.</summary>
public sealed class ApprovalRepliesPostgresUpgradeTests : IAsyncLifetime
{
    /// <summary>The last migration before approval replies.</summary>
    private const string Before = "20261207000016_AdminConsole";

    private readonly PostgresDatabase database = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    private DatabaseOptions Options => new(DatabaseProvider.Postgres, database.ConnectionString);

    private DurableEngine Node() =>
        new(Options, new ExecutorCatalog([]), NullLoggerFactory.Instance, clock, new WorkerOptions { Parallelism = 2, PollInterval = TimeSpan.FromMilliseconds(20) });

    [Fact]
    public async Task A_database_of_the_migrations_up_to_0016_upgrades_records_replies_once_and_its_waiting_timer_fires_to_the_end()
    {
        await using (var db = Options.Open())
            await db.GetService<IMigrator>().MigrateAsync(Before);
        var old = Node();
        var saved = await old.Definitions.SaveDraftAsync("""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
              <bpmn:process id="waits-across-upgrade" isExecutable="true">
                <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="pause" />
                <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f2" sourceRef="pause" targetRef="end" /><bpmn:endEvent id="end" />
              </bpmn:process>
            </bpmn:definitions>
            """, "tester", CancellationToken.None);
        await old.Definitions.PublishAsync(saved.Key!, null, "tester", CancellationToken.None);
        var started = await old.Instances.StartAsync(saved.Key!, null, null, null, CancellationToken.None);
        var id = Guid.Parse(started.InstanceId);
        Assert.DoesNotContain("approval_replies", await TablesAsync());

        var restarted = Node();
        await restarted.InitializeAsync(CancellationToken.None);

        await using (var db = Options.Open())
            Assert.Contains("20261207000017_ApprovalReplies", await db.Database.GetAppliedMigrationsAsync());
        var ledger = new ApprovalReplyLedger(Options, TimeProvider.System);
        Assert.Equal(ReplyClaim.Claimed, await ledger.ClaimAsync("<r1@example.com>", "7:1", "alice@example.com", CancellationToken.None));
        await ledger.RecordAsync("<r1@example.com>", 42, "decided", CancellationToken.None);
        Assert.Equal(ReplyClaim.Taken, await ledger.ClaimAsync("<r1@example.com>", "7:1", "alice@example.com", CancellationToken.None));
        Assert.Equal(ReplyClaim.Replayed, await ledger.ClaimAsync("<r1@example.com>", "7:2", "alice@example.com", CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, await restarted.Worker.DrainAsync(CancellationToken.None));
        var detail = (await restarted.Queries.GetAsync(id, CancellationToken.None))!;
        Assert.Equal("completed", detail.Summary.Status);
        Assert.Equal(["start", "pause", "end"], detail.History.Where(h => h.Kind == "Completed").Select(h => h.ElementId));
    }

    private async Task<List<string>> TablesAsync()
    {
        await using var db = Options.Open();
        return await db.Database.SqlQueryRaw<string>("SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public'").ToListAsync();
    }
}
