using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WeOps.Integration.Tests.Api;

namespace WeOps.Integration.Tests.Workflows;

/// <summary>workflows/problem.bpmn end to end: the service desk (olga, oscar) is the problem team; incidents come
/// from the incident process or straight from the tickets API.</summary>
public sealed class ProblemProcessTests(WorkflowServer server) : IClassFixture<WorkflowServer>
{
    [Fact]
    public async Task Problem_with_two_linked_incidents_runs_to_closed_and_resolves_both_incidents_with_it()
    {
        // One incident worked in the incident process, one opened by hand on the tickets API.
        var incidentProcess = await server.StartAsync("incident", new { title = "Checkout 502 at peak", impact = "high", urgency = "medium", requester = "rita" }, asUser: "rita");
        var worked = (string)(await server.WaitForVariableAsync(incidentProcess, "ticket"))!;
        await server.CompleteAsync(incidentProcess, "triage", "olga", new { assignee = "oscar" });
        await TaskAsync(incidentProcess, "work");
        var byHand = await OpenTicketAsync(new { type = "incident", title = "Search 502 at peak", assignee = "oscar" });
        await MoveAsync(byHand, "assigned", "inProgress");
        var change = await OpenTicketAsync(new { type = "change", title = "Raise nginx worker_connections to 4096" });

        var id = await server.StartAsync("problem", new { title = "nginx runs out of worker connections at peak", incidents = new[] { worked, byHand } }, asUser: "olga");
        var number = (string)(await server.WaitForVariableAsync(id, "ticket"))!;
        Assert.StartsWith("PRB-", number, StringComparison.Ordinal);
        await TaskAsync(id, "investigate");
        var investigating = await server.TicketAsync(number);
        Assert.Equal(("investigation", "service-desk"), ((string?)investigating["ticket"]!["state"], (string?)investigating["ticket"]!["group"]));
        Assert.Equal(new[] { worked, byHand }.Order(), Links(investigating, "incident").Order());

        await server.CompleteAsync(id, "investigate", "olga", new { rootCause = "worker_connections 1024 is too few for peak traffic.", workaround = "Reload nginx to drop idle keep-alives." });
        await server.CompleteAsync(id, "fix", "oscar", new { resolution = "worker_connections raised to 4096.", change });
        await TaskAsync(id, "review");

        var resolved = await server.TicketAsync(number);
        Assert.Equal("resolved", (string?)resolved["ticket"]!["state"]);
        Assert.Equal([change], Links(resolved, "change"));
        foreach (var incident in new[] { worked, byHand })
        {
            var ticket = await server.WaitForTicketStateAsync(incident, "resolved");
            var move = ticket["timeline"]!.AsArray().Last(e => (string?)e!["kind"] == "transition")!;
            Assert.Equal($"Resolved with {number}: worker_connections raised to 4096.", (string?)move["text"]);
            Assert.Equal($"process {id}/resolveIncident", (string?)move["actor"]);
        }

        // The incident process let go of the work and asks its requester to confirm.
        await TaskAsync(incidentProcess, "confirm");
        var incidentInstance = await server.InstanceAsync(incidentProcess);
        Assert.Contains("resolvedWithProblem", WorkflowServer.Passed(incidentInstance));
        Assert.Equal(number, (string?)incidentInstance["variables"]!["problem"]);
        Assert.Contains(await server.Admin.TasksAsync(incidentProcess, state: "cancelled"), t => (string?)t!["elementId"] == "work");

        await server.CompleteAsync(id, "review", "olga", comment: "No 502s for a week.");
        var done = await server.WaitForStatusAsync(id, "completed");
        Assert.Equal("closed", WorkflowServer.Passed(done)[^1]);
        Assert.Equal(2, WorkflowServer.Passed(done).Count(e => e == "incidentResolved"));
        var closed = await server.TicketAsync(number);
        Assert.Equal(["investigation", "knownError", "resolved", "closed"], Moves(closed));
        Assert.Equal("No 502s for a week.", Note(closed, "closed"));

        await server.CompleteAsync(incidentProcess, "confirm", "rita");
        await server.WaitForStatusAsync(incidentProcess, "completed");
        Assert.Equal(["assigned", "inProgress", "resolved", "closed"], Moves(await server.TicketAsync(worked)));
    }

    [Fact]
    public async Task Known_error_records_the_root_cause_and_workaround_on_the_ticket_and_tells_each_linked_incident()
    {
        var incident = await OpenTicketAsync(new { type = "incident", title = "Nightly backup fails", assignee = "oscar" });
        await MoveAsync(incident, "assigned", "inProgress");
        var id = await server.StartAsync("problem", new { title = "Backups fail when the disk is above 90 %", incidents = new[] { incident } }, asUser: "olga");
        var number = (string)(await server.WaitForVariableAsync(id, "ticket"))!;

        await server.CompleteAsync(id, "investigate", "oscar", new { rootCause = "The backup stages its archive on the data disk.", workaround = "Free 20 GB before 01:00." });
        await TaskAsync(id, "fix");

        var knownError = await server.TicketAsync(number);
        Assert.Equal("knownError", (string?)knownError["ticket"]!["state"]);
        Assert.Equal("The backup stages its archive on the data disk.", (string?)knownError["ticket"]!["fields"]!["rootCause"]);
        Assert.Equal("Free 20 GB before 01:00.", (string?)knownError["ticket"]!["fields"]!["workaround"]);
        Assert.Equal("Root cause: The backup stages its archive on the data disk. Workaround: Free 20 GB before 01:00.", Note(knownError, "knownError"));
        var told = await server.TicketAsync(incident);
        Assert.Equal($"Known error {number}: The backup stages its archive on the data disk. Workaround: Free 20 GB before 01:00.",
            (string?)told["comments"]!.AsArray().Single()!["text"]);

        // Fixed without a change: nothing to link, and the problem still resolves its incident.
        await server.CompleteAsync(id, "fix", "oscar", new { resolution = "Archives staged on /scratch." });
        await server.CompleteAsync(id, "review", "olga");

        var done = await server.WaitForStatusAsync(id, "completed");
        Assert.DoesNotContain("linkChange", WorkflowServer.Passed(done));
        var closed = await server.TicketAsync(number);
        Assert.Equal(["investigation", "knownError", "resolved", "closed"], Moves(closed));
        Assert.Empty(Links(closed, "change"));
        Assert.Equal("resolved", (string?)(await server.TicketAsync(incident))["ticket"]!["state"]);
    }

    [Fact]
    public async Task Incident_on_hold_is_left_as_it_is_with_a_comment_saying_why_when_its_problem_resolves()
    {
        var onHold = await OpenTicketAsync(new { type = "incident", title = "Reports export times out", assignee = "oscar" });
        await MoveAsync(onHold, "assigned", "inProgress", "onHold");
        var id = await server.StartAsync("problem", new { title = "Report queries scan the whole table", incidents = new[] { onHold } }, asUser: "olga");
        var number = (string)(await server.WaitForVariableAsync(id, "ticket"))!;

        await server.CompleteAsync(id, "investigate", "olga", new { rootCause = "No index on reports.created_at." });
        await server.CompleteAsync(id, "fix", "olga", new { resolution = "Index added." });
        await TaskAsync(id, "review");

        var instance = await server.InstanceAsync(id);
        Assert.Contains("incidentLeft", WorkflowServer.Passed(instance));
        Assert.DoesNotContain("tellIncidentProcess", WorkflowServer.Passed(instance));
        var left = await server.TicketAsync(onHold);
        Assert.Equal("onHold", (string?)left["ticket"]!["state"]);
        var comments = left["comments"]!.AsArray().Select(c => (string)c!["text"]!).ToList();
        Assert.Equal($"Known error {number}: No index on reports.created_at. Workaround: none known yet.", comments[0]);
        Assert.StartsWith($"{number} is resolved (Index added.), but this incident was left as it is for the service desk: ", comments[1], StringComparison.Ordinal);
        Assert.Contains("cannot go from 'onHold' to 'resolved'", comments[1], StringComparison.Ordinal);

        await server.CompleteAsync(id, "review", "olga");
        await server.WaitForStatusAsync(id, "completed");
        Assert.Equal("closed", (string?)(await server.TicketAsync(number))["ticket"]!["state"]);
    }

    private async Task<string> OpenTicketAsync(object ticket)
    {
        using var response = await server.As("olga").PostAsJsonAsync("/api/tickets", ticket);
        return (string)(await response.JsonAsync(HttpStatusCode.Created))["ticket"]!["number"]!;
    }

    private async Task MoveAsync(string number, params string[] states)
    {
        foreach (var state in states)
        {
            using var response = await server.As("olga").PostAsJsonAsync($"/api/tickets/{number}/transition", new { to = state });
            await response.JsonAsync(HttpStatusCode.OK);
        }
    }

    /// <summary>The open task at <paramref name="elementId"/>; fails at once, with the faults, when the instance stops on one.</summary>
    private async Task<JsonNode> TaskAsync(string id, string elementId)
    {
        await WorkflowServer.EventuallyAsync($"an open task at {elementId} of {id}", async () =>
        {
            var tasks = await server.Admin.TasksAsync(id);
            if (tasks.Any(t => (string?)t!["elementId"] == elementId)) return (JsonNode?)null;
            return await server.InstanceAsync(id);
        }, instance => instance is null || instance["faults"]!.AsArray().Count > 0 || (string?)instance["status"] is "completed" or "failed" or "cancelled");
        var open = await server.Admin.TasksAsync(id);
        return open.FirstOrDefault(t => (string?)t!["elementId"] == elementId)
            ?? throw new Xunit.Sdk.XunitException($"No task at {elementId}: {(await server.InstanceAsync(id)).ToJsonString()}");
    }

    private static List<string> Links(JsonNode ticket, string type) =>
        [.. ticket["links"]!.AsArray().Where(l => (string?)l!["type"] == type).Select(l => (string)l!["number"]!)];

    private static List<string> Moves(JsonNode ticket) =>
        [.. ticket["timeline"]!.AsArray().Where(e => (string?)e!["kind"] == "transition").Select(e => (string)e!["detail"]!["to"]!)];

    private static string? Note(JsonNode ticket, string to) =>
        (string?)ticket["timeline"]!.AsArray().First(e => (string?)e!["kind"] == "transition" && (string?)e["detail"]!["to"] == to)!["text"];
}
