using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using WeOps.Engine.Approvals;

namespace WeOps.Engine.Tests.Persistence;

/// <summary>A SQLite file made by the migrations before approval replies, with an instance waiting on a timer, is
/// upgraded at the next start: the reply ledger works on it and the instance goes on to its end.</summary>
public sealed class ApprovalRepliesUpgradeTests : IAsyncLifetime
{
    /// <summary>The last migration before approval replies.</summary>
    public const string Before = "20261207000016_AdminConsole";

    private readonly SqliteEngine sqlite = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => sqlite.DisposeAsync();

    [Fact]
    public async Task A_database_of_the_migrations_up_to_0016_upgrades_records_replies_once_and_its_waiting_timer_fires_to_the_end()
    {
        await using (var db = sqlite.Database.Open())
            await db.GetService<IMigrator>().MigrateAsync(Before);
        var key = await sqlite.PublishAsync("""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
              <bpmn:process id="waits-across-upgrade" isExecutable="true">
                <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="pause" />
                <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="f2" sourceRef="pause" targetRef="end" /><bpmn:endEvent id="end" />
              </bpmn:process>
            </bpmn:definitions>
            """);
        var started = await sqlite.Engine.Instances.StartAsync(key, null, null, null, CancellationToken.None);
        var id = Guid.Parse(started.InstanceId);
        Assert.DoesNotContain("approval_replies", await TablesAsync());

        var restarted = sqlite.New();
        await restarted.InitializeAsync(CancellationToken.None);

        Assert.Contains("20261207000017_ApprovalReplies", await AppliedAsync());
        var ledger = new ApprovalReplyLedger(sqlite.Database, TimeProvider.System);
        Assert.Equal(ReplyClaim.Claimed, await ledger.ClaimAsync("<r1@example.com>", "7:1", "alice@example.com", CancellationToken.None));
        await ledger.RecordAsync("<r1@example.com>", 42, "decided", CancellationToken.None);
        Assert.Equal(ReplyClaim.Taken, await ledger.ClaimAsync("<r1@example.com>", "7:1", "alice@example.com", CancellationToken.None));
        Assert.Equal(ReplyClaim.Replayed, await ledger.ClaimAsync("<r1@example.com>", "7:2", "alice@example.com", CancellationToken.None));
        sqlite.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, await restarted.Worker.DrainAsync(CancellationToken.None));
        var detail = (await restarted.Queries.GetAsync(id, CancellationToken.None))!;
        Assert.Equal("completed", detail.Summary.Status);
        Assert.Equal(["start", "pause", "end"], detail.History.Where(h => h.Kind == "Completed").Select(h => h.ElementId));
    }

    private async Task<List<string>> TablesAsync()
    {
        await using var db = sqlite.Database.Open();
        return await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table'").ToListAsync();
    }

    private async Task<List<string>> AppliedAsync()
    {
        await using var db = sqlite.Database.Open();
        return (await db.Database.GetAppliedMigrationsAsync()).ToList();
    }
}
