using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WeOps.Activities.Tests.Email;
using WeOps.Integration.Tests.Api;

namespace WeOps.Integration.Tests.Workflows;

/// <summary>workflows/incident.bpmn end to end: the service desk (olga, oscar) triages and works, rita
/// requests and confirms; SLA escalations mail the test SMTP server; the clock is moved past the targets.</summary>
public sealed class IncidentProcessTests(WorkflowServer server) : IClassFixture<WorkflowServer>
{
    [Fact]
    public async Task Triaged_worked_resolved_and_confirmed_incident_closes_with_its_ticket_through_every_state_in_order()
    {
        var (id, number) = await StartAsync("Checkout answers 502", new { description = "Since 09:10, for every customer" });
        var opened = await server.TicketAsync(number);
        Assert.Equal(("new", "P3", "service-desk", "rita"), (State(opened), Ticket(opened, "priority"), Ticket(opened, "group"), Ticket(opened, "requester")));

        await server.CompleteAsync(id, "triage", "olga", new { impact = "high", urgency = "medium", assignee = "oscar" });
        var work = await TaskAsync(id, "work");
        Assert.Equal("oscar", (string?)work["assignee"]);
        Assert.Contains("service-desk", work["candidateGroups"].Strings());
        var inProgress = await server.WaitForTicketStateAsync(number, "inProgress");
        Assert.Equal(("P2", "oscar"), (Ticket(inProgress, "priority"), Ticket(inProgress, "assignee")));

        await server.CompleteAsync(id, "work", "oscar", new { resolution = "Restarted the upstream pool" }, outcome: "resolve");
        var confirm = await TaskAsync(id, "confirm");
        Assert.Contains("rita", confirm["candidateUsers"].Strings());
        await server.CompleteAsync(id, "confirm", "rita", outcome: "close");

        var done = await server.WaitForStatusAsync(id, "completed");
        var closed = await server.TicketAsync(number);
        Assert.Equal(["assigned", "inProgress", "resolved", "closed"], Moves(closed));
        Assert.Equal("Restarted the upstream pool", NoteOf(closed, "resolved"));
        Assert.False((bool)closed["ticket"]!["sla"]!["breached"]!);
        var passed = WorkflowServer.Passed(done);
        Assert.Equal("closed", passed[^1]);
        Assert.DoesNotContain("responseDue", passed);
        Assert.DoesNotContain("resolutionDue", passed);
        Assert.Equal(["olga", "oscar", "rita"], ActorsOf(done, "triage", "work", "confirm"));
    }

    [Fact]
    public async Task Incident_put_on_hold_keeps_the_reason_on_the_timeline_and_goes_back_in_progress_when_the_wait_is_over()
    {
        var (id, number) = await StartAsync("VPN drops every hour");
        await server.CompleteAsync(id, "triage", "olga", new { assignee = "oscar" });

        await server.CompleteAsync(id, "work", "oscar", new { holdReason = "Waiting for the vendor's firmware" }, outcome: "hold");
        var onHold = await server.WaitForTicketStateAsync(number, "onHold");
        Assert.Equal("Waiting for the vendor's firmware", NoteOf(onHold, "onHold"));
        Assert.Equal("oscar", (string?)(await TaskAsync(id, "onHold"))["assignee"]);

        await server.CompleteAsync(id, "onHold", "oscar");
        await server.WaitForTicketStateAsync(number, "inProgress");
        await server.CompleteAsync(id, "work", "oscar", new { resolution = "Firmware 4.2 installed" }, outcome: "resolve");
        await server.CompleteAsync(id, "confirm", "rita");

        var done = await server.WaitForStatusAsync(id, "completed");
        Assert.Equal(["assigned", "inProgress", "onHold", "inProgress", "resolved", "closed"], Moves(await server.TicketAsync(number)));
        Assert.Equal(2, WorkflowServer.Passed(done).Count(e => e == "work"));
        Assert.Equal(["putOnHold", "onHold", "resume"], WorkflowServer.Passed(done).Where(e => e is "putOnHold" or "onHold" or "resume"));
    }

    [Fact]
    public async Task Escalated_incident_moves_to_the_named_group_off_its_assignee_with_the_reason_and_its_work_returns_in_that_groups_queue()
    {
        var (id, number) = await StartAsync("Core switch drops packets");
        await server.CompleteAsync(id, "triage", "olga", new { impact = "high", urgency = "medium", assignee = "oscar" });
        await server.WaitForTicketStateAsync(number, "inProgress");

        // Escalating needs the group and the reason: the server refuses without them, by field, and the task stays open.
        var work = await TaskAsync(id, "work");
        using (var refused = await server.As("oscar").CompleteTaskAsync((long)work["id"]!, new { outcome = "escalate", variables = new { escalateTo = "" } }))
        {
            var errors = (await refused.JsonAsync(System.Net.HttpStatusCode.UnprocessableEntity))["errors"]!;
            Assert.Equal("Escalate to group is required to escalate.", (string?)errors["escalateTo"]![0]);
            Assert.Equal("Why escalate is required to escalate.", (string?)errors["escalationReason"]![0]);
        }

        Assert.Equal((long)work["id"]!, (long)(await TaskAsync(id, "work"))["id"]!);

        await server.CompleteAsync(id, "work", "oscar", new { escalateTo = "network", escalationReason = "Loss on uplink 3, the switch needs the network team" }, outcome: "escalate");
        var queued = await WorkflowServer.EventuallyAsync("the work task back in the network queue", () => server.Admin.TasksAsync(id),
            tasks => tasks.Any(t => (string?)t!["elementId"] == "work" && (long)t["id"]! != (long)work["id"]!));
        var again = queued.Single(t => (string?)t!["elementId"] == "work")!;
        Assert.Null((string?)again["assignee"]);
        Assert.Equal(["network"], again["candidateGroups"].Strings());

        var escalated = await server.TicketAsync(number);
        Assert.Equal(("inProgress", "network", null), (State(escalated), Ticket(escalated, "group"), Ticket(escalated, "assignee")));
        var reassigned = escalated["timeline"]!.AsArray().Last(e => (string?)e!["kind"] == "updated")!["detail"]!;
        Assert.Equal(("service-desk", "network"), ((string?)reassigned["group"]!["from"], (string?)reassigned["group"]!["to"]));
        Assert.Equal(("oscar", null), ((string?)reassigned["assignee"]!["from"], (string?)reassigned["assignee"]!["to"]));
        Assert.Contains("Escalated to network by oscar: Loss on uplink 3, the switch needs the network team", Comments(escalated));
        Assert.Equal("Triaged as P2 by olga; assigned to oscar.", NoteOf(escalated, "assigned"));

        // It is in the network team's queue, no longer in the service desk's; the network team works it.
        async Task<bool> InGroupsQueueOf(string user) =>
            (await server.As(user).GetFromJsonAsync<JsonArray>("/api/tasks?scope=groups"))!.Any(t => (long)t!["id"]! == (long)again["id"]!);
        Assert.Equal((true, false), (await InGroupsQueueOf("nina"), await InGroupsQueueOf("olga")));
        await server.CompleteAsync(id, "work", "nina", new { resolution = "Replaced the uplink optic" }, outcome: "resolve");
        await server.CompleteAsync(id, "confirm", "rita", outcome: "close");

        var done = await server.WaitForStatusAsync(id, "completed");
        var closed = await server.TicketAsync(number);
        Assert.Equal(["assigned", "inProgress", "resolved", "closed"], Moves(closed));
        Assert.Equal("Replaced the uplink optic", NoteOf(closed, "resolved"));
        Assert.Equal(["escalate", "recordEscalation"], WorkflowServer.Passed(done).Where(e => e is "escalate" or "recordEscalation"));
        Assert.Equal(["oscar", "nina"], done["history"]!.AsArray().Where(h => (string?)h!["elementId"] == "work").Select(h => (string?)h!["actor"]));
    }

    [Fact]
    public async Task Missed_response_target_mails_the_escalation_address_and_raises_the_priority_while_triage_goes_on()
    {
        var (id, number) = await StartAsync("Printers on floor 3 offline", new { escalationEmail = "desk-lead@example.com" });
        var opened = await server.TicketAsync(number);
        var dueAt = DateTimeOffset.Parse((string)opened["ticket"]!["sla"]!["response"]!["dueAt"]!, CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(4), dueAt - DateTimeOffset.Parse((string)opened["ticket"]!["createdAt"]!, CultureInfo.InvariantCulture));
        await TaskAsync(id, "triage");

        server.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));

        await PassedAsync(id, "responseEscalated");
        var mail = await TestSmtpServer.WaitForAsync($"{number} missed its response target");
        Assert.Contains("priority raised from P3 to P2", mail.Subject);
        Assert.Equal(["desk-lead@example.com"], mail.AddressesIn("X-Envelope-To"));
        var escalated = await server.TicketAsync(number);
        Assert.Equal(("new", "P2", "high"), (State(escalated), Ticket(escalated, "priority"), Ticket(escalated, "urgency")));
        Assert.True((bool)escalated["ticket"]!["sla"]!["response"]!["breached"]!);
        Assert.Contains(Comments(escalated), c => c == "Response target missed: priority raised from P3 to P2; desk-lead@example.com notified.");
        Assert.Contains(escalated["timeline"]!.AsArray(), e => (string?)e!["kind"] == "updated" && (string?)e["detail"]?["priority"]?["to"] == "P2");

        // Triage was not interrupted: the desk takes it on, at the raised priority.
        await server.CompleteAsync(id, "triage", "olga", new { assignee = "olga" });
        var assigned = await server.WaitForTicketStateAsync(number, "inProgress");
        Assert.Equal("P2", Ticket(assigned, "priority"));
        await server.CompleteAsync(id, "work", "olga", outcome: "resolve");
        await server.CompleteAsync(id, "confirm", "rita");
        var done = await server.WaitForStatusAsync(id, "completed");
        Assert.Equal(1, WorkflowServer.Passed(done).Count(e => e == "responseDue"));
    }

    [Fact]
    public async Task Missed_resolution_target_escalates_once_even_when_the_incident_is_reopened_after_it()
    {
        var (id, number) = await StartAsync("Nightly export missing");
        await server.CompleteAsync(id, "triage", "olga", new { assignee = "oscar" });
        await TaskAsync(id, "work");

        server.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        await PassedAsync(id, "resolutionEscalated");
        var mail = await TestSmtpServer.WaitForAsync($"{number} missed its resolution target");
        Assert.Contains("priority raised from P3 to P2", mail.Subject);
        Assert.Equal(["service-desk-lead@example.com"], mail.AddressesIn("X-Envelope-To"));
        var escalated = await server.TicketAsync(number);
        Assert.Equal(("inProgress", "P2"), (State(escalated), Ticket(escalated, "priority")));
        Assert.True((bool)escalated["ticket"]!["sla"]!["resolution"]!["breached"]!);
        Assert.Contains(Comments(escalated), c => c == "Resolution target missed: priority raised from P3 to P2; service-desk-lead@example.com notified.");

        // The work went on; resolved late and reopened, the same breach is not escalated a second time.
        await server.CompleteAsync(id, "work", "oscar", new { resolution = "Export job re-run" }, outcome: "resolve");
        await server.CompleteAsync(id, "confirm", "rita", new { reason = "Tonight's export is missing too" }, outcome: "reopen");
        await PassedAsync(id, "alreadyEscalated");
        await server.CompleteAsync(id, "work", "oscar", new { resolution = "Cron entry restored" }, outcome: "resolve");
        await server.CompleteAsync(id, "confirm", "rita");

        var done = await server.WaitForStatusAsync(id, "completed");
        var passed = WorkflowServer.Passed(done);
        Assert.Equal(2, passed.Count(e => e == "resolutionDue"));
        Assert.Equal(1, passed.Count(e => e == "raiseResolutionPriority"));
        var closed = await server.TicketAsync(number);
        Assert.Equal("P2", Ticket(closed, "priority"));
        Assert.Equal(["assigned", "inProgress", "resolved", "inProgress", "resolved", "closed"], Moves(closed));
        Assert.Equal("Reopened: Tonight's export is missing too", NoteOf(closed, "inProgress", occurrence: 1));
    }

    [Fact]
    public async Task Resolved_incident_nobody_confirms_closes_itself_after_autoCloseDays()
    {
        var (id, number) = await StartAsync("Wiki search slow", new { autoCloseDays = 2 });
        await server.CompleteAsync(id, "triage", "olga", new { assignee = "oscar" });
        await server.CompleteAsync(id, "work", "oscar", new { resolution = "Index rebuilt" }, outcome: "resolve");
        var confirm = await TaskAsync(id, "confirm");
        var resolved = await server.WaitForTicketStateAsync(number, "resolved");
        var resolvedAt = DateTimeOffset.Parse((string)resolved["ticket"]!["sla"]!["resolution"]!["stoppedAt"]!, CultureInfo.InvariantCulture);

        // The requester sees by when to answer: that is when the incident closes itself.
        Assert.Equal(resolvedAt + TimeSpan.FromDays(2), DateTimeOffset.Parse((string)confirm["dueAt"]!, CultureInfo.InvariantCulture));
        server.Advance(TimeSpan.FromDays(2));

        var done = await server.WaitForStatusAsync(id, "completed");
        Assert.Equal(["autoClose", "autoCloseTicket", "autoClosed"], WorkflowServer.Passed(done).TakeLast(3));
        var closed = await server.TicketAsync(number);
        Assert.Equal("closed", State(closed));
        Assert.Equal("Closed automatically: resolved for 2 days without an answer.", NoteOf(closed, "closed"));
        Assert.Equal("cancelled", (string?)(await server.Admin.TasksAsync(id, state: "cancelled")).Single(t => (string?)t!["elementId"] == "confirm")!["state"]);
    }

    [Fact]
    public async Task Incident_reopened_before_auto_close_goes_back_in_progress_and_closes_when_the_requester_confirms()
    {
        var (id, number) = await StartAsync("Laptop will not join Wi-Fi");
        await server.CompleteAsync(id, "triage", "olga", new { assignee = "oscar" });
        await server.CompleteAsync(id, "work", "oscar", new { resolution = "Certificate renewed" }, outcome: "resolve");
        await TaskAsync(id, "confirm");
        Assert.Equal(3, (int?)(await server.InstanceAsync(id))["variables"]!["autoCloseDays"]);

        server.Advance(TimeSpan.FromHours(1));
        await server.CompleteAsync(id, "confirm", "rita", comment: "Drops again after a reboot", outcome: "reopen");

        var reopened = await server.WaitForTicketStateAsync(number, "inProgress");
        Assert.Equal("Reopened: Drops again after a reboot", NoteOf(reopened, "inProgress", occurrence: 1));
        Assert.Equal("oscar", (string?)(await TaskAsync(id, "work"))["assignee"]);
        await server.CompleteAsync(id, "work", "oscar", new { resolution = "Driver updated" }, outcome: "resolve");
        await server.CompleteAsync(id, "confirm", "rita", outcome: "close");

        var done = await server.WaitForStatusAsync(id, "completed");
        Assert.Equal("closed", WorkflowServer.Passed(done)[^1]);
        Assert.DoesNotContain("autoClose", WorkflowServer.Passed(done));
        var closed = await server.TicketAsync(number);
        Assert.Equal(["assigned", "inProgress", "resolved", "inProgress", "resolved", "closed"], Moves(closed));
        Assert.Equal("Driver updated", NoteOf(closed, "resolved", occurrence: 1));
        Assert.False((bool)closed["ticket"]!["sla"]!["breached"]!);
    }

    /// <summary>Starts an incident reported by rita, impact and urgency medium (P3: response 4 h, resolution 1 day).</summary>
    private async Task<(string Id, string Number)> StartAsync(string title, object? extra = null)
    {
        var variables = new JsonObject { ["title"] = title, ["impact"] = "medium", ["urgency"] = "medium", ["requester"] = "rita" };
        if (extra is not null)
        {
            foreach (var (name, value) in System.Text.Json.JsonSerializer.SerializeToNode(extra)!.AsObject())
                variables[name] = value?.DeepClone();
        }

        var id = await server.StartAsync("incident", variables, asUser: "rita");
        var number = (string)(await server.WaitForVariableAsync(id, "ticket"))!;
        return (id, number);
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

    /// <summary>Waits until the instance has completed a visit of <paramref name="elementId"/>; fails at once on a fault.</summary>
    private async Task PassedAsync(string id, string elementId)
    {
        var instance = await WorkflowServer.EventuallyAsync($"{id} to pass {elementId}", () => server.InstanceAsync(id),
            i => i["history"]!.AsArray().Any(h => (string?)h!["elementId"] == elementId && (string?)h["outcome"] == "completed") || i["faults"]!.AsArray().Count > 0);
        Assert.Empty(instance["faults"]!.AsArray());
    }

    private static string? State(JsonNode ticket) => Ticket(ticket, "state");

    private static string? Ticket(JsonNode ticket, string field) => (string?)ticket["ticket"]![field];

    /// <summary>The states the ticket moved to, in order.</summary>
    private static List<string> Moves(JsonNode ticket) =>
        [.. ticket["timeline"]!.AsArray().Where(e => (string?)e!["kind"] == "transition").Select(e => (string)e!["detail"]!["to"]!)];

    private static string? NoteOf(JsonNode ticket, string to, int occurrence = 0) =>
        (string?)ticket["timeline"]!.AsArray().Where(e => (string?)e!["kind"] == "transition" && (string?)e["detail"]!["to"] == to).ElementAt(occurrence)!["text"];

    private static List<string> Comments(JsonNode ticket) => [.. ticket["comments"]!.AsArray().Select(c => (string)c!["text"]!)];

    private static List<string?> ActorsOf(JsonNode instance, params string[] elements) =>
        [.. elements.Select(e => (string?)instance["history"]!.AsArray().First(h => (string?)h!["elementId"] == e)!["actor"])];
}
