using Microsoft.Data.Sqlite;
using WeOps.Activities.Tickets;
using WeOps.Engine.Persistence;
using WeOps.Engine.Time;

namespace WeOps.Activities.Tests.Tickets;

/// <summary>What a move needs beyond the state machine's arrow, edits recorded as from -> to, and unlinking.</summary>
public sealed class TicketGuardTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "weops-tests", Guid.NewGuid().ToString("N"));
    private TicketStore store = null!;

    public async Task InitializeAsync()
    {
        var database = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "weops.db")}");
        await database.MigrateAsync();
        store = new TicketStore(database, new TicketPolicy(), new ManualClock());
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<string> Unowned(string type = "incident") =>
        (await store.CreateAsync(TicketInput.ReadNew(type, "Printer on floor 3 offline", null, null, null, "rita", null, null, null, null), "rita", null, null, default))
        .Ticket.Ticket.Number;

    [Fact]
    public async Task Assigned_without_an_assignee_or_group_is_refused_with_its_code_and_changes_nothing()
    {
        var number = await Unowned();

        var refused = await Assert.ThrowsAsync<TicketTransitionRefusedException>(() => store.TransitionAsync(number, "assigned", null, "olga", default));

        Assert.Equal(TicketRefusal.AssigneeRequired, refused.Refusal.Code);
        Assert.Equal(("new", "assigned"), (refused.Refusal.Parameters["from"], refused.Refusal.Parameters["to"]));
        Assert.Contains("assignee", refused.Message, StringComparison.Ordinal);
        var ticket = (await store.GetAsync(number, default))!;
        Assert.Equal("new", ticket.Ticket.State);
        Assert.Single(ticket.Timeline);

        await store.UpdateAsync(number, new TicketChanges(Assignee: "oscar"), "olga", default);
        Assert.Equal("assigned", (await store.TransitionAsync(number, "assigned", null, "olga", default)).Ticket.State);
    }

    [Fact]
    public async Task Resolved_without_resolution_notes_is_refused_and_with_notes_goes_through()
    {
        var number = await Unowned();
        await store.UpdateAsync(number, new TicketChanges(Assignee: "oscar"), "olga", default);
        await store.TransitionAsync(number, "assigned", null, "olga", default);
        await store.TransitionAsync(number, "inProgress", null, "oscar", default);

        var refused = await Assert.ThrowsAsync<TicketTransitionRefusedException>(() => store.TransitionAsync(number, "resolved", "  ", "oscar", default));

        Assert.Equal(TicketRefusal.ResolutionRequired, refused.Refusal.Code);
        Assert.Equal("inProgress", (await store.GetAsync(number, default))!.Ticket.State);
        var resolved = await store.TransitionAsync(number, "resolved", "Paper tray re-seated", "oscar", default);
        Assert.Equal(("resolved", "Paper tray re-seated"), (resolved.Ticket.State, resolved.Timeline[^1].Text));
    }

    [Fact]
    public async Task A_move_the_machine_has_no_arrow_for_is_refused_as_not_allowed_naming_where_it_can_go()
    {
        var number = await Unowned();

        var refused = await Assert.ThrowsAsync<TicketTransitionRefusedException>(() => store.TransitionAsync(number, "closed", "done", "olga", default));

        Assert.Equal(TicketRefusal.NotAllowed, refused.Refusal.Code);
        Assert.Equal("assigned", refused.Refusal.Parameters["allowed"]);
    }

    [Fact]
    public async Task Impact_and_urgency_set_the_priority_by_the_matrix_and_each_change_is_a_from_to_entry()
    {
        var number = await Unowned();

        var updated = await store.UpdateAsync(number, new TicketChanges(Impact: 1, Urgency: 2, Assignee: "oscar", Group: "desk"), "olga", default);

        Assert.Equal(("P2", "high", "medium"), (updated.Ticket.Priority, updated.Ticket.Impact, updated.Ticket.Urgency));
        var entry = updated.Timeline[^1];
        Assert.Equal(("updated", "olga"), (entry.Kind, entry.Actor));
        Assert.Equal(("low", "high"), ((string?)entry.Detail!["impact"]!["from"], (string?)entry.Detail["impact"]!["to"]));
        Assert.Equal(("P5", "P2"), ((string?)entry.Detail["priority"]!["from"], (string?)entry.Detail["priority"]!["to"]));
        Assert.Equal("oscar", (string?)entry.Detail["assignee"]!["to"]);
        Assert.Null((string?)entry.Detail["assignee"]!["from"]);
    }

    [Fact]
    public async Task Unlinking_removes_the_link_from_both_tickets_with_an_entry_on_each()
    {
        var incident = await Unowned();
        var problem = await Unowned("problem");
        await store.LinkAsync(problem, incident, null, "olga", default);

        var unlinked = await store.UnlinkAsync(incident, problem, "olga", default);

        Assert.Empty(unlinked.Links);
        Assert.Empty((await store.GetAsync(problem, default))!.Links);
        Assert.Equal(("unlinked", problem, "causedBy"), (unlinked.Timeline[^1].Kind, (string?)unlinked.Timeline[^1].Detail!["number"], (string?)unlinked.Timeline[^1].Detail!["kind"]));
        Assert.Equal("unlinked", (await store.GetAsync(problem, default))!.Timeline[^1].Kind);
    }

    [Fact]
    public async Task A_search_finds_tickets_by_number_and_by_a_word_of_the_title()
    {
        var number = await Unowned();
        await store.CreateAsync(TicketInput.ReadNew("change", "Replace core switch", null, null, null, null, null, null, null, null), null, null, null, default);

        Assert.Equal([number], (await store.ListAsync(new TicketQuery(Search: number), default)).Items.Select(t => t.Number));
        Assert.Equal(["CHG-000001"], (await store.ListAsync(new TicketQuery(Search: "switch"), default)).Items.Select(t => t.Number));
        Assert.Empty((await store.ListAsync(new TicketQuery(Search: "%"), default)).Items);
    }

    [Theory]
    [InlineData("""{"risk":"extreme"}""", "fields.risk")]
    [InlineData("""{"windowStart":"soon"}""", "fields.windowStart")]
    [InlineData("""{"windowStart":"2026-12-24T22:00:00Z","windowEnd":"2026-12-24T21:00:00Z"}""", "fields.windowEnd")]
    public void A_change_s_risk_and_window_are_checked_naming_the_field(string fields, string field)
    {
        var error = Assert.Throws<TicketInputException>(() =>
            TicketInput.ReadNew("change", "Replace core switch", null, null, null, null, null, null, null, System.Text.Json.Nodes.JsonNode.Parse(fields)));

        Assert.Equal([field], error.Problems.Select(p => p.Field));
    }
}
