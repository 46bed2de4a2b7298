using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WeOps.Engine.Tests.Persistence;

/// <summary>A SQLite file made by the migrations before the admin console's (disabled users, settings), with a user and an
/// instance waiting on a timer, is upgraded at the next start; the user keeps working and the instance goes on to its end.</summary>
public sealed class AdminConsoleUpgradeTests : IAsyncLifetime
{
    /// <summary>The last migration before the admin console's.</summary>
    public const string Before = "20261207000012_ReplayAndSignInLimits";

    private readonly SqliteEngine sqlite = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => sqlite.DisposeAsync();

    [Fact]
    public async Task A_database_of_the_migrations_up_to_0012_upgrades_keeps_its_users_and_its_waiting_timer_fires_to_the_end()
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
        Assert.DoesNotContain("settings", await TablesAsync());
        await using (var db = sqlite.Database.Open())
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO users (\"username\", \"groups\", \"roles\", \"created_at\", \"updated_at\") VALUES ('old-admin', ',ops,', 'admin', '2026-01-01 00:00:00', '2026-01-01 00:00:00')");

        // The next start of a node upgrades the file.
        var restarted = sqlite.New();
        await restarted.InitializeAsync(CancellationToken.None);

        Assert.Contains("20261207000016_AdminConsole", await AppliedAsync());
        Assert.Contains("settings", await TablesAsync());
        var directory = new WeOps.Engine.Approvals.UserDirectory(sqlite.Database, TimeProvider.System);
        var user = await directory.GetAsync("old-admin", CancellationToken.None);
        Assert.NotNull(user);
        Assert.Null(user.DisabledAt);
        Assert.Equal(["ops"], (await directory.GroupsAsync(CancellationToken.None)).Select(g => g.Name));
        Assert.True(await directory.SetDisabledAsync("old-admin", true, CancellationToken.None));
        Assert.Null(await directory.CredentialsOfAsync("old-admin", CancellationToken.None));
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
