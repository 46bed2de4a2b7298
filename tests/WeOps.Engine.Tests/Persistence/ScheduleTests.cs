using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Tests.Persistence;

/// <summary>Timer start events on SQLite with a manual clock (it starts at 2026-05-01T08:00Z): publishing
/// writes a schedule and its next occurrence as a job; each occurrence starts one instance.</summary>
public sealed class ScheduleTests : IAsyncLifetime
{
    private readonly SqliteEngine sqlite = new();
    private DurableEngine Engine => sqlite.Engine;
    private DateTimeOffset Now => sqlite.Clock.GetUtcNow();

    public Task InitializeAsync() => sqlite.InitializeAsync();

    public Task DisposeAsync() => sqlite.DisposeAsync();

    private static string Scheduled(string timer, string key = "report") => $"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="{key}" isExecutable="true">
            {timer}
            <bpmn:sequenceFlow id="f1" sourceRef="tick" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private static string Cron(string expression, string misfire = "fireOnce") =>
        $"""<bpmn:startEvent id="tick"><bpmn:extensionElements><ops:cron expression="{expression}" misfire="{misfire}"/></bpmn:extensionElements><bpmn:timerEventDefinition/></bpmn:startEvent>""";

    private static string Cycle(string cycle) =>
        $"""<bpmn:startEvent id="tick"><bpmn:timerEventDefinition><bpmn:timeCycle>{cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>""";

    /// <summary>Moves the clock and runs what is due.</summary>
    private async Task<int> AdvanceAsync(TimeSpan by)
    {
        sqlite.Clock.Advance(by);
        return await Engine.Worker.DrainAsync(CancellationToken.None);
    }

    /// <summary>The occurrence each instance was started for, in time order, with its version.</summary>
    private async Task<List<(string Occurrence, int Version)>> StartedAsync()
    {
        await using var db = Engine.Instances.OpenDb();
        var rows = await db.Instances.AsNoTracking().ToListAsync();
        return rows.Select(r => ((string)JsonNode.Parse(r.State)!["scopes"]![0]!["variables"]![ScheduleRunner.OccurrenceVariable]!, r.Version)).OrderBy(s => s.Item1, StringComparer.Ordinal).ToList();
    }

    private async Task<(List<ScheduleRow> Schedules, List<JobRow> Jobs)> RowsAsync()
    {
        await using var db = Engine.Instances.OpenDb();
        return (await db.Schedules.AsNoTracking().ToListAsync(), await db.Jobs.AsNoTracking().ToListAsync());
    }

    [Fact]
    public async Task A_cron_start_event_starts_one_instance_per_occurrence()
    {
        await sqlite.PublishAsync(Scheduled(Cron("0 0/10 * * * ?")));

        var (schedules, jobs) = await RowsAsync();
        var schedule = Assert.Single(schedules);
        var job = Assert.Single(jobs);
        Assert.Equal(("schedule", schedule.Id, "tick"), (job.Kind, job.InstanceId, job.ElementId));
        Assert.Equal(Now.AddMinutes(10).ToUnixTimeMilliseconds(), job.DueAt);

        Assert.Equal(0, await AdvanceAsync(TimeSpan.FromMinutes(9)));
        Assert.Equal(1, await AdvanceAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(0, await AdvanceAsync(TimeSpan.FromMinutes(5)));
        Assert.Equal(1, await AdvanceAsync(TimeSpan.FromMinutes(5)));

        Assert.Equal([("2026-05-01T08:10:00.000Z", 1), ("2026-05-01T08:20:00.000Z", 1)], await StartedAsync());
        Assert.Equal(Now.AddMinutes(10).ToUnixTimeMilliseconds(), Assert.Single((await RowsAsync()).Jobs).DueAt);
    }

    [Fact]
    public async Task A_counted_cycle_starts_its_repetitions_and_then_its_schedule_ends()
    {
        await sqlite.PublishAsync(Scheduled(Cycle("R3/2026-05-01T09:00:00Z/PT1H")));

        for (var i = 0; i < 4; i++) await AdvanceAsync(TimeSpan.FromHours(1));

        Assert.Equal(["2026-05-01T09:00:00.000Z", "2026-05-01T10:00:00.000Z", "2026-05-01T11:00:00.000Z"], (await StartedAsync()).Select(s => s.Occurrence));
        var (schedules, jobs) = await RowsAsync();
        Assert.Empty(schedules);
        Assert.Empty(jobs);
    }

    [Fact]
    public async Task A_little_late_occurrence_keeps_the_series_and_catches_up_without_gaps()
    {
        await sqlite.PublishAsync(Scheduled(Cycle("R/PT10S")));

        // 35 s later, within the misfire threshold: 10, 20 and 30 s each start once.
        sqlite.Clock.Advance(TimeSpan.FromSeconds(35));
        Assert.Equal(3, await Engine.Worker.DrainAsync(CancellationToken.None));

        Assert.Equal(["2026-05-01T08:00:10.000Z", "2026-05-01T08:00:20.000Z", "2026-05-01T08:00:30.000Z"], (await StartedAsync()).Select(s => s.Occurrence));
    }

    [Fact]
    public async Task Missed_occurrences_start_once_by_default_then_the_schedule_goes_on()
    {
        await sqlite.PublishAsync(Scheduled(Cron("0 0/10 * * * ?")));

        // The nodes were down from 08:00 to 09:05: six occurrences missed.
        Assert.Equal(1, await AdvanceAsync(TimeSpan.FromMinutes(65)));
        Assert.Equal(0, await AdvanceAsync(TimeSpan.Zero));
        Assert.Equal(1, await AdvanceAsync(TimeSpan.FromMinutes(5)));

        Assert.Equal(["2026-05-01T08:10:00.000Z", "2026-05-01T09:10:00.000Z"], (await StartedAsync()).Select(s => s.Occurrence));
    }

    [Fact]
    public async Task Missed_occurrences_start_nothing_with_the_skip_policy()
    {
        await sqlite.PublishAsync(Scheduled(Cron("0 0/10 * * * ?", "skip")));

        await AdvanceAsync(TimeSpan.FromMinutes(65));
        Assert.Empty(await StartedAsync());
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 9, 10, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), Assert.Single((await RowsAsync()).Jobs).DueAt);

        await AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(["2026-05-01T09:10:00.000Z"], (await StartedAsync()).Select(s => s.Occurrence));
    }

    [Fact]
    public async Task Publishing_a_new_version_replaces_the_schedule()
    {
        await sqlite.PublishAsync(Scheduled(Cron("0 0/10 * * * ?")));
        Assert.Equal(1, await AdvanceAsync(TimeSpan.FromMinutes(10)));

        await sqlite.PublishAsync(Scheduled(Cron("0 0 * * * ?")));
        var (schedules, jobs) = await RowsAsync();
        Assert.Equal(2, Assert.Single(schedules).Version);
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), Assert.Single(jobs).DueAt);

        Assert.Equal(0, await AdvanceAsync(TimeSpan.FromMinutes(10)));
        await AdvanceAsync(TimeSpan.FromMinutes(40));
        Assert.Equal([("2026-05-01T08:10:00.000Z", 1), ("2026-05-01T09:00:00.000Z", 2)], await StartedAsync());
    }

    [Fact]
    public async Task A_version_without_the_timer_start_event_stops_the_schedule()
    {
        await sqlite.PublishAsync(Scheduled(Cron("0 0/10 * * * ?")));

        await sqlite.PublishAsync(Scheduled("""<bpmn:startEvent id="tick"/>"""));

        var (schedules, jobs) = await RowsAsync();
        Assert.Empty(schedules);
        Assert.Empty(jobs);
        Assert.Equal(0, await AdvanceAsync(TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task A_deleted_process_starts_nothing_more_and_its_schedule_goes()
    {
        var key = await sqlite.PublishAsync(Scheduled(Cron("0 0/10 * * * ?")));
        await using (var db = Engine.Instances.OpenDb())
        {
            await db.DefinitionVersions.Where(v => v.Key == key).ExecuteDeleteAsync();
            await db.Definitions.Where(d => d.Key == key).ExecuteDeleteAsync();
        }

        Assert.Equal(1, await AdvanceAsync(TimeSpan.FromMinutes(10)));

        Assert.Empty(await StartedAsync());
        var (schedules, jobs) = await RowsAsync();
        Assert.Empty(schedules);
        Assert.Empty(jobs);
    }

    [Fact]
    public async Task An_occurrence_claimed_twice_starts_one_instance()
    {
        await sqlite.PublishAsync(Scheduled(Cron("0 0/10 * * * ?")));
        sqlite.Clock.Advance(TimeSpan.FromMinutes(10));
        var job = Assert.Single((await RowsAsync()).Jobs);

        // A second node that took over the job (its first owner looked dead) fires it as well.
        var other = sqlite.New();
        var fired = await Task.WhenAll(Engine.Schedules.FireAsync(job, CancellationToken.None), other.Schedules.FireAsync(job, CancellationToken.None));

        Assert.Single(fired, state => state is not null);
        Assert.Single(await StartedAsync());
        Assert.Single((await RowsAsync()).Jobs);
    }
}
