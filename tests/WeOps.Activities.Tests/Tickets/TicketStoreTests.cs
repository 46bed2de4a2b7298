using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using WeOps.Activities.Tickets;
using WeOps.Engine.Persistence;
using WeOps.Engine.Time;

namespace WeOps.Activities.Tests.Tickets;

/// <summary>Tickets on SQLite: numbering, timeline, SLA clocks against a manual clock, links.</summary>
public sealed class TicketStoreTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "weops-tests", Guid.NewGuid().ToString("N"));
    private readonly ManualClock clock = new();
    private TicketStore store = null!;

    public async Task InitializeAsync()
    {
        var database = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "weops.db")}");
        await database.MigrateAsync();
        store = new TicketStore(database, new TicketPolicy(), clock);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    internal static NewTicket Draft(string type = "incident", object? impact = null, object? urgency = null, string title = "Disk almost full on web-1") =>
        TicketInput.ReadNew(type, title, "95% used", impact is null ? null : JsonValue.Create(impact), urgency is null ? null : JsonValue.Create(urgency),
            "alertmanager", null, "ops", JsonNode.Parse("""{"hosts":["web-1"],"services":["nginx"]}"""), new JsonObject { ["fingerprint"] = "abc" });

    [Fact]
    public async Task A_new_ticket_gets_the_first_number_of_its_type_its_priority_and_a_created_entry()
    {
        var (incident, created) = await store.CreateAsync(Draft(impact: "high", urgency: 2), "alice", null, null, default);
        var (change, _) = await store.CreateAsync(Draft("change"), "alice", null, null, default);
        var (second, _) = await store.CreateAsync(Draft(), "alice", null, null, default);

        Assert.True(created);
        Assert.Equal("INC-000001", incident.Ticket.Number);
        Assert.Equal("CHG-000001", change.Ticket.Number);
        Assert.Equal("INC-000002", second.Ticket.Number);
        Assert.Equal(("new", "P2", "high", "medium"), (incident.Ticket.State, incident.Ticket.Priority, incident.Ticket.Impact, incident.Ticket.Urgency));
        Assert.Equal(["web-1"], incident.Ticket.Affected.Hosts);
        Assert.Equal("abc", (string?)incident.Ticket.Fields["fingerprint"]);
        Assert.Equal(["assigned"], incident.Ticket.AllowedTransitions);
        var entry = Assert.Single(incident.Timeline);
        Assert.Equal(("created", "alice"), (entry.Kind, entry.Actor));
        Assert.Equal("plan", (await store.CreateAsync(Draft("release"), null, null, null, default)).Ticket.Ticket.State);
    }

    [Fact]
    public async Task Fifty_concurrent_creates_get_fifty_numbers_without_gaps()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => store.CreateAsync(Draft(), null, null, null, default))));

        var numbers = created.Select(c => c.Ticket.Ticket.Number).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 50).Select(n => $"INC-{n:D6}"), numbers);
    }

    [Fact]
    public async Task Creating_again_for_the_same_instance_and_element_returns_the_first_ticket()
    {
        var (first, created) = await store.CreateAsync(Draft(), null, "i-1", "open", default);
        var again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => store.CreateAsync(Draft(), null, "i-1", "open", default))));
        var (other, _) = await store.CreateAsync(Draft(), null, "i-1", "escalate", default);

        Assert.True(created);
        Assert.All(again, a => Assert.Equal((first.Ticket.Number, false), (a.Ticket.Ticket.Number, a.Created)));
        Assert.NotEqual(first.Ticket.Number, other.Ticket.Number);
        Assert.Equal("i-1", first.Ticket.InstanceId);
        Assert.Equal(2, (await store.ListAsync(new TicketQuery(), default)).Total);
    }

    [Fact]
    public async Task SLA_due_times_follow_the_priority_and_breach_against_the_clock()
    {
        var start = clock.GetUtcNow();
        var (p1, _) = await store.CreateAsync(Draft(impact: 1, urgency: 1), null, null, null, default);
        Assert.Equal(start.AddMinutes(15), p1.Ticket.Sla.Response.DueAt);
        Assert.Equal(start.AddHours(4), p1.Ticket.Sla.Resolution.DueAt);
        Assert.False(p1.Ticket.Sla.Breached);

        clock.Advance(TimeSpan.FromMinutes(10));
        var assigned = await store.TransitionAsync(p1.Ticket.Number, "assigned", null, "bob", default);
        Assert.Equal(start.AddMinutes(10), assigned.Ticket.Sla.Response.StoppedAt);

        clock.Advance(TimeSpan.FromHours(4));
        var late = (await store.GetAsync(p1.Ticket.Number, default))!.Ticket.Sla;
        Assert.False(late.Response.Breached);
        Assert.True(late.Resolution.Breached);
        Assert.Equal([p1.Ticket.Number], (await store.ListAsync(new TicketQuery(Breached: true), default)).Items.Select(t => t.Number));

        var (p5, _) = await store.CreateAsync(Draft(impact: "low", urgency: "low"), null, null, null, default);
        Assert.Equal(clock.GetUtcNow().AddDays(1), p5.Ticket.Sla.Response.DueAt);
        Assert.Equal([p5.Ticket.Number], (await store.ListAsync(new TicketQuery(Breached: false), default)).Items.Select(t => t.Number));
    }

    [Fact]
    public async Task A_response_after_its_due_time_stays_breached()
    {
        var (ticket, _) = await store.CreateAsync(Draft(impact: 1, urgency: 1), null, null, null, default);
        clock.Advance(TimeSpan.FromMinutes(16));
        var assigned = await store.TransitionAsync(ticket.Ticket.Number, "assigned", null, null, default);
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.True((await store.GetAsync(ticket.Ticket.Number, default))!.Ticket.Sla.Response.Breached);
        Assert.True(assigned.Ticket.Sla.Breached);
    }

    [Fact]
    public async Task Resolving_stops_the_resolution_clock_and_reopening_starts_it_again()
    {
        var (ticket, _) = await store.CreateAsync(Draft(impact: 1, urgency: 1), null, null, null, default);
        var number = ticket.Ticket.Number;
        foreach (var state in new[] { "assigned", "inProgress", "resolved" })
            await store.TransitionAsync(number, state, state == "resolved" ? "Freed 20 GB" : null, null, default);
        clock.Advance(TimeSpan.FromHours(5));
        Assert.False((await store.GetAsync(number, default))!.Ticket.Sla.Resolution.Breached);

        var reopened = await store.TransitionAsync(number, "inProgress", "still failing", "carol", default);

        Assert.Null(reopened.Ticket.Sla.Resolution.StoppedAt);
        Assert.True(reopened.Ticket.Sla.Resolution.Breached);
        var last = reopened.Timeline[^1];
        Assert.Equal(("transition", "carol", "still failing"), (last.Kind, last.Actor, last.Text));
        Assert.Equal("resolved", (string?)last.Detail!["from"]);
    }

    [Fact]
    public async Task A_refused_transition_changes_nothing()
    {
        var (ticket, _) = await store.CreateAsync(Draft(), null, null, null, default);

        var refused = await Assert.ThrowsAsync<TicketTransitionRefusedException>(() => store.TransitionAsync(ticket.Ticket.Number, "closed", null, null, default));

        Assert.Equal(["assigned"], refused.Allowed);
        var after = (await store.GetAsync(ticket.Ticket.Number, default))!;
        Assert.Equal("new", after.Ticket.State);
        Assert.Single(after.Timeline);
    }

    [Fact]
    public async Task Raising_impact_recomputes_priority_and_due_times_and_records_what_changed()
    {
        var (ticket, _) = await store.CreateAsync(Draft(), null, null, null, default);
        Assert.Equal("P5", ticket.Ticket.Priority);

        var updated = await store.UpdateAsync(ticket.Ticket.Number, new TicketChanges(Impact: 1, Urgency: 1, Assignee: "bob", Fields: new JsonObject { ["fingerprint"] = null, ["risk"] = "low" }), "alice", default);

        Assert.Equal(("P1", "bob"), (updated.Ticket.Priority, updated.Ticket.Assignee));
        Assert.Equal(ticket.Ticket.CreatedAt.AddMinutes(15), updated.Ticket.Sla.Response.DueAt);
        Assert.Equal("""{"risk":"low"}""", updated.Ticket.Fields.ToJsonString());
        var entry = updated.Timeline[^1];
        Assert.Equal("updated", entry.Kind);
        Assert.Equal("P5", (string?)entry.Detail!["priority"]!["from"]);
        Assert.Equal("bob", (string?)entry.Detail!["assignee"]!["to"]);

        var same = await store.UpdateAsync(ticket.Ticket.Number, new TicketChanges(Assignee: "bob"), "alice", default);
        Assert.Equal(updated.Timeline.Count, same.Timeline.Count);
    }

    [Fact]
    public async Task Comments_are_on_the_timeline_and_listed_apart()
    {
        var (ticket, _) = await store.CreateAsync(Draft(), null, null, null, default);
        var commented = await store.CommentAsync(ticket.Ticket.Number, "Cleaned /var/log", "bob", default);

        var comment = Assert.Single(commented.Comments);
        Assert.Equal(("Cleaned /var/log", "bob"), (comment.Text, comment.Actor));
        Assert.Equal(2, commented.Timeline.Count);
    }

    [Fact]
    public async Task Links_are_stored_in_their_normal_direction_and_checked_per_pair()
    {
        var (incident, _) = await store.CreateAsync(Draft(), null, null, null, default);
        var (problem, _) = await store.CreateAsync(Draft("problem"), null, null, null, default);
        var (release, _) = await store.CreateAsync(Draft("release"), null, null, null, default);
        var inc = incident.Ticket.Number;
        var prb = problem.Ticket.Number;

        var fromProblem = await store.LinkAsync(prb, inc, null, "alice", default);
        await store.LinkAsync(inc, prb, null, "alice", default); // again: no second link

        Assert.Equal(new TicketLink(inc, "incident", "causedBy", "in"), Assert.Single(fromProblem.Links));
        Assert.Equal(new TicketLink(prb, "problem", "causedBy", "out"), Assert.Single((await store.GetAsync(inc, default))!.Links));
        var pair = await Assert.ThrowsAsync<TicketInputException>(() => store.LinkAsync(inc, release.Ticket.Number, null, null, default));
        Assert.Contains("incident cannot be linked to a release", pair.Message);
        var kind = await Assert.ThrowsAsync<TicketInputException>(() => store.LinkAsync(inc, prb, "fixedBy", null, default));
        Assert.Contains("causedBy", kind.Message);
        await Assert.ThrowsAsync<TicketInputException>(() => store.LinkAsync(inc, "INC-999999", null, null, default));
        await Assert.ThrowsAsync<TicketInputException>(() => store.LinkAsync(inc, inc, null, null, default));
    }

    [Fact]
    public async Task Lists_filter_by_type_state_priority_and_assignee_and_page()
    {
        for (var i = 0; i < 3; i++) await store.CreateAsync(Draft(impact: 1, urgency: 1), null, null, null, default);
        var (change, _) = await store.CreateAsync(Draft("change"), null, null, null, default);
        await store.UpdateAsync(change.Ticket.Number, new TicketChanges(Assignee: "dave"), null, default);
        await store.TransitionAsync(change.Ticket.Number, "assess", null, null, default);

        Assert.Equal(3, (await store.ListAsync(new TicketQuery(Type: "incident"), default)).Total);
        Assert.Equal(3, (await store.ListAsync(new TicketQuery(Priority: 1), default)).Total);
        Assert.Equal([change.Ticket.Number], (await store.ListAsync(new TicketQuery(State: "assess"), default)).Items.Select(t => t.Number));
        Assert.Equal([change.Ticket.Number], (await store.ListAsync(new TicketQuery(Assignee: "dave"), default)).Items.Select(t => t.Number));
        var page = await store.ListAsync(new TicketQuery(Offset: 1, Limit: 2), default);
        Assert.Equal((4, 2), (page.Total, page.Items.Count));
    }

    [Fact]
    public async Task Unknown_and_malformed_numbers_are_not_found()
    {
        Assert.Null(await store.GetAsync("INC-000042", default));
        Assert.Null(await store.GetAsync("'; drop table tickets; --", default));
        await Assert.ThrowsAsync<TicketNotFoundException>(() => store.CommentAsync("XYZ-1", "hi", null, default));
        await Assert.ThrowsAsync<TicketNotFoundException>(() => store.TransitionAsync("INC-000042", "assigned", null, null, default));
    }
}
