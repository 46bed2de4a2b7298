using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Activities.Tickets;
using WeOps.Engine.Executors;
using WeOps.Engine.Persistence;
using WeOps.Engine.Time;

namespace WeOps.Activities.Tests.Tickets;

/// <summary>The ticket.* executors as a process step calls them, on SQLite.</summary>
public sealed class TicketExecutorTests : IAsyncLifetime
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

    private static ExecutorContext Step(string element, string instance = "i-42") =>
        new(instance, element, 1, NullLogger.Instance, new InMemoryLargeOutputStore());

    private static async Task<JsonObject> Run(IExecutor executor, string inputs, ExecutorContext context) =>
        (await executor.ExecuteAsync(JsonNode.Parse(inputs)!.AsObject(), context, CancellationToken.None))!.AsObject();

    private const string Incident = """
        {"type":"incident","title":"nginx down on web-1","impact":"high","urgency":1,"requester":"alertmanager",
         "group":"ops","affected":{"hosts":["web-1"],"services":["nginx"]},"fields":{"fingerprint":"f1"}}
        """;

    [Fact]
    public async Task Create_opens_a_ticket_linked_to_the_instance_and_a_rerun_returns_the_same()
    {
        var create = new TicketCreateExecutor(store);

        var first = await Run(create, Incident, Step("open"));
        var again = await Run(create, Incident, Step("open"));

        Assert.Equal(("INC-000001", "P1", "new", true), ((string?)first["number"], (string?)first["priority"], (string?)first["state"], (bool?)first["created"]));
        Assert.Equal(("INC-000001", false), ((string?)again["number"], (bool?)again["created"]));
        Assert.NotNull(first["sla"]!["responseDueAt"]);
        var ticket = (await store.GetAsync("INC-000001", default))!;
        Assert.Equal("i-42", ticket.Ticket.InstanceId);
        Assert.Equal("process i-42/open", ticket.Timeline[0].Actor);
        Assert.Equal("INC-000002", (string?)(await Run(create, Incident, Step("open", "i-43")))["number"]);
    }

    [Fact]
    public async Task Create_with_bad_inputs_fails_the_step_naming_the_field()
    {
        var error = await Assert.ThrowsAsync<ExecutorInputException>(() => Run(new TicketCreateExecutor(store), """{"type":"ticket","title":"x","impact":"huge"}""", Step("open")));

        Assert.Contains("type:", error.Message);
        Assert.Contains("impact:", error.Message);
    }

    [Fact]
    public async Task Transition_moves_the_ticket_is_repeatable_and_refuses_a_move_the_machine_does_not_allow()
    {
        var number = (string)(await Run(new TicketCreateExecutor(store), Incident, Step("open")))["number"]!;
        var transition = new TicketTransitionExecutor(store);

        var moved = await Run(transition, $$"""{"number":"{{number}}","to":"assigned","note":"paged bob"}""", Step("assign"));
        var rerun = await Run(transition, $$"""{"number":"{{number}}","to":"assigned"}""", Step("assign"));
        var refused = await Assert.ThrowsAsync<BpmnErrorException>(() => Run(transition, $$"""{"number":"{{number}}","to":"closed"}""", Step("close")));

        Assert.Equal(("assigned", "new"), ((string?)moved["state"], (string?)moved["previousState"]));
        Assert.Equal(("assigned", "assigned"), ((string?)rerun["state"], (string?)rerun["previousState"]));
        Assert.Equal("TICKET_TRANSITION_REFUSED", refused.ErrorCode);
        Assert.Contains("'assigned' to 'closed'", refused.Message);
        Assert.Contains("inProgress", refused.Message);
        Assert.Equal(2, (await store.GetAsync(number, default))!.Timeline.Count);
    }

    [Fact]
    public async Task Steps_on_a_ticket_that_does_not_exist_raise_TICKET_NOT_FOUND()
    {
        var error = await Assert.ThrowsAsync<BpmnErrorException>(() => Run(new TicketTransitionExecutor(store), """{"number":"INC-000404","to":"assigned"}""", Step("assign")));
        Assert.Equal("TICKET_NOT_FOUND", error.ErrorCode);
        error = await Assert.ThrowsAsync<BpmnErrorException>(() => Run(new TicketCommentExecutor(store), """{"number":"nonsense","text":"hi"}""", Step("note")));
        Assert.Equal("TICKET_NOT_FOUND", error.ErrorCode);
    }

    [Fact]
    public async Task Update_raises_the_priority_and_comment_is_not_repeated_by_a_rerun()
    {
        var number = (string)(await Run(new TicketCreateExecutor(store), """{"type":"incident","title":"slow","impact":3,"urgency":3}""", Step("open")))["number"]!;

        var updated = await Run(new TicketUpdateExecutor(store), $$"""{"number":"{{number}}","urgency":"high","assignee":"bob"}""", Step("escalate"));
        var comment = new TicketCommentExecutor(store);
        await Run(comment, $$"""{"number":"{{number}}","text":"Restarted nginx"}""", Step("note"));
        var again = await Run(comment, $$"""{"number":"{{number}}","text":"Restarted nginx"}""", Step("note"));

        Assert.Equal("P3", (string?)updated["priority"]);
        Assert.Equal(1, (int?)again["comments"]);
    }

    [Fact]
    public async Task Link_connects_an_incident_to_its_problem_and_refuses_pairs_that_do_not_link()
    {
        var create = new TicketCreateExecutor(store);
        var incident = (string)(await Run(create, Incident, Step("open")))["number"]!;
        var problem = (string)(await Run(create, """{"type":"problem","title":"nginx crashes under load"}""", Step("problem")))["number"]!;
        var release = (string)(await Run(create, """{"type":"release","title":"2.4"}""", Step("release")))["number"]!;
        var link = new TicketLinkExecutor(store);

        var linked = await Run(link, $$"""{"number":"{{incident}}","to":"{{problem}}"}""", Step("link"));
        var error = await Assert.ThrowsAsync<ExecutorInputException>(() => Run(link, $$"""{"number":"{{incident}}","to":"{{release}}"}""", Step("link")));

        var only = Assert.Single(linked["links"]!.AsArray())!;
        Assert.Equal((problem, "causedBy", "out"), ((string?)only["number"], (string?)only["kind"], (string?)only["direction"]));
        Assert.Contains("cannot be linked", error.Message);
    }
    [Fact]
    public async Task Links_lists_the_incidents_a_problem_caused_filtered_by_type_and_kind()
    {
        var create = new TicketCreateExecutor(store);
        var first = (string)(await Run(create, Incident, Step("open", "i-1")))["number"]!;
        var second = (string)(await Run(create, Incident, Step("open", "i-2")))["number"]!;
        var problem = (string)(await Run(create, """{"type":"problem","title":"nginx crashes under load"}""", Step("problem")))["number"]!;
        var change = (string)(await Run(create, """{"type":"change","title":"nginx 1.27"}""", Step("change")))["number"]!;
        var link = new TicketLinkExecutor(store);
        await Run(link, $$"""{"number":"{{first}}","to":"{{problem}}"}""", Step("link"));
        await Run(link, $$"""{"number":"{{problem}}","to":"{{second}}"}""", Step("link"));
        await Run(link, $$"""{"number":"{{problem}}","to":"{{change}}","kind":"fixedBy"}""", Step("link"));
        var links = new TicketLinksExecutor(store);

        var incidents = await Run(links, $$"""{"number":"{{problem}}","type":"incident","kind":"causedBy"}""", Step("list"));
        var all = await Run(links, $$"""{"number":"{{problem}}"}""", Step("list"));
        var none = await Run(links, $$"""{"number":"{{problem}}","type":"release"}""", Step("list"));

        Assert.Equal([first, second], incidents["numbers"]!.AsArray().Select(n => (string)n!).Order());
        Assert.Equal(2, (int?)incidents["count"]);
        Assert.All(incidents["links"]!.AsArray(), l => Assert.Equal(("incident", "causedBy", "in"), ((string?)l!["type"], (string?)l["kind"], (string?)l["direction"])));
        Assert.Equal([change, first, second], all["numbers"]!.AsArray().Select(n => (string)n!).Order());
        Assert.Empty(none["numbers"]!.AsArray());
    }

    [Fact]
    public async Task Links_refuses_a_filter_that_is_no_type_or_kind_and_a_ticket_that_does_not_exist()
    {
        var problem = (string)(await Run(new TicketCreateExecutor(store), """{"type":"problem","title":"disk fills"}""", Step("problem")))["number"]!;
        var links = new TicketLinksExecutor(store);

        var type = await Assert.ThrowsAsync<ExecutorInputException>(() => Run(links, $$"""{"number":"{{problem}}","type":"incidents"}""", Step("list")));
        var kind = await Assert.ThrowsAsync<ExecutorInputException>(() => Run(links, $$"""{"number":"{{problem}}","kind":"caused"}""", Step("list")));
        var missing = await Assert.ThrowsAsync<BpmnErrorException>(() => Run(links, """{"number":"PRB-000404"}""", Step("list")));

        Assert.Contains("type: one of incident, change, problem, release", type.Message);
        Assert.Contains("kind: one of causedBy, fixedBy, partOf", kind.Message);
        Assert.Equal("TICKET_NOT_FOUND", missing.ErrorCode);
    }
}
