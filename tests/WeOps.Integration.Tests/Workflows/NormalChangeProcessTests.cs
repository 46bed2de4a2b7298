using System.Net.Http.Json;
using WeOps.Integration.Tests.Api;
using static WeOps.Integration.Tests.Workflows.ChangeRecords;

namespace WeOps.Integration.Tests.Workflows;

/// <summary>workflows/change-normal.bpmn end to end: assessed by a change manager, authorised by every CAB member
/// (high risk) or a change manager (low risk), implemented on the test sshd in its window, backed out when the
/// runbook fails, reviewed and closed; a rejection goes back to the requester.</summary>
public sealed class NormalChangeProcessTests(WorkflowServer server) : IClassFixture<WorkflowServer>
{
    private const string Process = "change-normal";

    [Fact]
    public async Task High_risk_change_needs_every_cab_member_then_runs_its_runbook_in_the_window_and_is_reviewed_and_closed()
    {
        var work = Workspace();
        var applied = Path.Combine(work, "applied");
        var title = UniqueTitle("Raise nginx worker connections");
        var windowStart = server.Clock.GetUtcNow().AddHours(2);
        var id = await server.StartAsync(Process, new
        {
            title,
            description = "worker_connections 1024 -> 4096",
            hosts = new[] { "web-1" },
            runbook = $"echo applied > {applied}",
            backout = $"rm -f {applied}",
            windowStart = Iso(windowStart),
            requester = "rita",
        }, asUser: "rita");
        var ticket = (string)(await server.WaitForVariableAsync(id, "ticket"))!;
        await server.WaitForTicketStateAsync(ticket, "assess");

        await server.CompleteAsync(id, "assess", "max", new { risk = "high" }, comment: "touches every web node");

        var approval = await server.TaskAsync(id, "cabApproval");
        Assert.Equal(["user:carl", "user:cathy", "user:cora"], approval["pendingApprovers"].Strings().Order());
        Assert.Equal(["carl@example.com", "cathy@example.com", "cora@example.com"], await MailedToAsync(title, 3));
        Assert.Equal("authorize", (string?)(await server.TicketAsync(ticket))["ticket"]!["state"]);

        await server.DecideAsync(id, "cabApproval", "carl", "approve");
        await server.DecideAsync(id, "cabApproval", "cora", "approve");
        var waiting = await WorkflowServer.EventuallyAsync("cathy as the last open seat", () => server.TaskAsync(id, "cabApproval"),
            t => t["pendingApprovers"]?.AsArray().Count == 1);
        Assert.Equal(["user:cathy"], waiting["pendingApprovers"].Strings());
        await server.DecideAsync(id, "cabApproval", "cathy", "approve", "fine for the window");

        await server.WaitForTicketStateAsync(ticket, "scheduled");
        await WorkflowServer.EventuallyAsync("the change waiting for its window", () => server.InstanceAsync(id),
            i => i["active"]!.AsArray().Any(a => (string?)a == "window"));
        Assert.False(File.Exists(applied), "the runbook ran before the window opened");

        server.Advance(TimeSpan.FromHours(2));
        await WaitAtAsync(id, "review");
        Assert.Equal("applied", File.ReadAllText(applied).Trim());
        await server.CompleteAsync(id, "review", "max", comment: "worked, no errors in the logs");

        var done = await server.WaitForStatusAsync(id, "completed");
        var record = await server.TicketAsync(ticket);
        Assert.Equal(["new", "assess", "authorize", "scheduled", "implement", "review", "closed"], States(record));
        Assert.Equal("closed", (string?)record["ticket"]!["state"]);
        Assert.Equal("high", (string?)record["ticket"]!["fields"]!["risk"]);
        Assert.Equal("rita", (string?)record["ticket"]!["requester"]);
        Assert.Contains(Notes(record), n => n == "Approved by carl, cora, cathy; window opens " + Iso(windowStart));
        Assert.Equal("worked, no errors in the logs", Notes(record)[^1]);

        var passed = WorkflowServer.Passed(done);
        Assert.Contains("seatCab", passed);
        Assert.DoesNotContain("managerApproval", passed);
        Assert.DoesNotContain("runBackout", passed);
        Assert.Equal("closed", passed[^1]);
        var variables = done["variables"]!;
        Assert.Equal("approved", (string?)variables["approval"]!["outcome"]);
        Assert.Equal(["carl", "cora", "cathy"], variables["approval"]!["decisions"]!.AsArray().Select(d => (string)d!["approver"]!));
        Assert.True((bool)variables["implemented"]!);
        Assert.Equal(0, (int)variables["implementation"]!["hosts"]![0]!["exitCode"]!);
        Assert.Equal(["carl", "cora", "cathy"], done["events"]!.AsArray().Where(e => (string?)e!["kind"] == "ApprovalDecided").Select(e => (string)e!["actor"]!));
    }

    [Fact]
    public async Task High_risk_change_rejected_by_one_cab_member_goes_back_to_new_and_is_amended_and_resubmitted()
    {
        var work = Workspace();
        var applied = Path.Combine(work, "applied");
        var title = UniqueTitle("Move the session store to Redis");
        var id = await server.StartAsync(Process, new
        {
            title,
            hosts = new[] { "web-1" },
            runbook = $"echo v1 > {applied}",
            backout = $"rm -f {applied}",
            requester = "rita",
        }, asUser: "rita");
        var ticket = (string)(await server.WaitForVariableAsync(id, "ticket"))!;
        await server.CompleteAsync(id, "assess", "max", new { risk = "high" });

        await server.DecideAsync(id, "cabApproval", "carl", "approve");
        await server.DecideAsync(id, "cabApproval", "cora", "reject", "no backout test on staging");

        var amend = await server.WaitForTaskAsync(id, "amend");
        Assert.Equal("rita", (string?)amend["assignee"]);
        var rejected = await server.WaitForTicketStateAsync(ticket, "rejected");
        Assert.Equal("Rejected by cora: no backout test on staging", NotesOn(rejected, "rejected").Single());
        Assert.DoesNotContain("user:cathy", (await server.InstanceAsync(id))["variables"]!["approval"]!["decisions"]!.AsArray().Select(d => (string?)d!["seat"]));

        await server.CompleteAsync(id, "amend", "rita", new { runbook = $"echo v2 > {applied}", description = "backout rehearsed on staging" }, comment: "rehearsed the backout");

        await server.WaitForTicketStateAsync(ticket, "assess");
        var amended = await server.TicketAsync(ticket);
        Assert.Equal("backout rehearsed on staging", (string?)amended["ticket"]!["description"]);
        Assert.Equal($"echo v2 > {applied}", (string?)amended["ticket"]!["fields"]!["runbook"]);
        Assert.Equal("Resubmitted: rehearsed the backout", NotesOn(amended, "new").Single());

        // The second round is a new approval: every CAB member decides again.
        await server.CompleteAsync(id, "assess", "max", new { risk = "high" });
        await WorkflowServer.EventuallyAsync("a second CAB approval with three open seats", () => server.TaskAsync(id, "cabApproval"),
            t => t["pendingApprovers"]?.AsArray().Count == 3);
        foreach (var member in new[] { "carl", "cora", "cathy" })
            await server.DecideAsync(id, "cabApproval", member, "approve");
        await server.CompleteAsync(id, "review", "max", comment: "sessions survived the switch");

        var done = await server.WaitForStatusAsync(id, "completed");
        Assert.Equal("v2", File.ReadAllText(applied).Trim());
        Assert.Equal(
            ["new", "assess", "authorize", "rejected", "new", "assess", "authorize", "scheduled", "implement", "review", "closed"],
            States(await server.TicketAsync(ticket)));
        var passed = WorkflowServer.Passed(done);
        Assert.Equal(2, passed.Count(e => e == "cabApproval"));
        Assert.Equal(1, passed.Count(e => e == "amend"));
        Assert.Equal("closed", passed[^1]);
    }

    [Fact]
    public async Task Low_risk_change_is_approved_by_a_change_manager_alone_and_an_empty_window_opens_at_once()
    {
        var work = Workspace();
        var applied = Path.Combine(work, "applied");
        var title = UniqueTitle("Renew the TLS certificate of web-1");
        var id = await server.StartAsync(Process, new
        {
            title,
            hosts = new[] { "web-1" },
            runbook = $"echo renewed > {applied}",
            backout = $"rm -f {applied}",
            requester = "rita",
        }, asUser: "rita");
        var ticket = (string)(await server.WaitForVariableAsync(id, "ticket"))!;
        // The assessment form in the browser sends its empty window field as null: the window opens at once.
        await server.CompleteAsync(id, "assess", "max", new { risk = "low", windowStart = (string?)null });

        var approval = await server.TaskAsync(id, "managerApproval");
        Assert.Equal(["group:change-managers"], approval["pendingApprovers"].Strings());
        Assert.Equal(["max@example.com"], await MailedToAsync(title, 1));

        // A CAB member has no seat on a low-risk change.
        using (var refused = await server.As("cora").PostAsJsonAsync($"/api/tasks/{(long)approval["id"]!}/decision", new { decision = "approve" }))
            Assert.False(refused.IsSuccessStatusCode, $"cora decided a low-risk change: {(int)refused.StatusCode}");

        await server.DecideAsync(id, "managerApproval", "max", "approve", "routine renewal");
        await server.CompleteAsync(id, "review", "max");

        var done = await server.WaitForStatusAsync(id, "completed");
        Assert.Equal("renewed", File.ReadAllText(applied).Trim());
        var record = await server.TicketAsync(ticket);
        Assert.Equal(["new", "assess", "authorize", "scheduled", "implement", "review", "closed"], States(record));
        Assert.Equal("low", (string?)record["ticket"]!["fields"]!["risk"]);
        var passed = WorkflowServer.Passed(done);
        Assert.Contains("managerApproval", passed);
        Assert.DoesNotContain("seatCab", passed);
        Assert.DoesNotContain("cabApproval", passed);
        var decisions = done["variables"]!["approval"]!["decisions"]!.AsArray();
        Assert.Equal("max", (string?)Assert.Single(decisions)!["approver"]);
        Assert.Equal("group:change-managers", (string?)decisions[0]!["seat"]);
    }

    [Fact]
    public async Task Failed_implementation_runs_the_backout_plan_and_the_ticket_passes_backout_before_review()
    {
        var work = Workspace();
        var partial = Path.Combine(work, "partial");
        var backedOut = Path.Combine(work, "backed-out");
        var id = await server.StartAsync(Process, new
        {
            title = UniqueTitle("Upgrade OpenSSL"),
            hosts = new[] { "web-1" },
            runbook = $"echo half-done > {partial}; echo 'package conflict' >&2; exit 3",
            backout = $"rm -f {partial} && echo restored > {backedOut}",
            requester = "rita",
        }, asUser: "rita");
        var ticket = (string)(await server.WaitForVariableAsync(id, "ticket"))!;
        await server.CompleteAsync(id, "assess", "max", new { risk = "low" });
        await server.DecideAsync(id, "managerApproval", "max", "approve");

        var review = await server.WaitForTaskAsync(id, "review");
        Assert.False((bool)review["data"]!["implemented"]!);
        Assert.False(File.Exists(partial), "the backout did not undo the runbook");
        Assert.Equal("restored", File.ReadAllText(backedOut).Trim());
        await server.CompleteAsync(id, "review", "max", comment: "conflict with libssl3; replan");

        var done = await server.WaitForStatusAsync(id, "completed");
        var record = await server.TicketAsync(ticket);
        Assert.Equal(["new", "assess", "authorize", "scheduled", "implement", "backout", "review", "closed"], States(record));
        var notes = Notes(record);
        Assert.Contains("web-1 (exit code 3)", notes[4]);
        Assert.Equal("Backed out: the change is not in place", notes[5]);
        var passed = WorkflowServer.Passed(done);
        Assert.Equal(["implement", "implementFailed", "ticketBackout", "runBackout", "ticketBackedOutReview", "review"],
            passed.SkipWhile(e => e != "implement").Take(6));
        var variables = done["variables"]!;
        Assert.Equal("SSH_FAILED", (string?)variables["error"]!["code"]);
        Assert.Equal(0, (int)variables["backoutResult"]!["hosts"]![0]!["exitCode"]!);
        Assert.Null(variables["implementation"]);
    }

    [Fact]
    public async Task Rejected_change_the_requester_withdraws_ends_with_its_ticket_rejected()
    {
        var id = await server.StartAsync(Process, new
        {
            title = UniqueTitle("Disable IPv6 on web-1"),
            hosts = new[] { "web-1" },
            runbook = "sysctl -w net.ipv6.conf.all.disable_ipv6=1",
            backout = "sysctl -w net.ipv6.conf.all.disable_ipv6=0",
            requester = "rita",
        }, asUser: "rita");
        var ticket = (string)(await server.WaitForVariableAsync(id, "ticket"))!;
        await server.CompleteAsync(id, "assess", "max", new { risk = "low" });
        await server.DecideAsync(id, "managerApproval", "max", "reject", "customers still use IPv6");

        await server.CompleteAsync(id, "amend", "rita", outcome: "withdraw", comment: "not needed after all");

        var done = await server.WaitForStatusAsync(id, "completed");
        Assert.Equal("withdrawn", WorkflowServer.Passed(done)[^1]);
        var record = await server.TicketAsync(ticket);
        Assert.Equal("rejected", (string?)record["ticket"]!["state"]);
        Assert.Equal(["new", "assess", "authorize", "rejected"], States(record));
        Assert.Equal("Withdrawn by the requester: not needed after all", (string?)record["comments"]![0]!["text"]);
    }

    [Fact]
    public async Task A_request_without_a_backout_plan_is_refused_by_the_start_form_naming_the_field_and_starts_nothing()
    {
        var title = UniqueTitle("No way back");
        var before = await CountAsync();
        using var refused = await server.As("rita").PostAsJsonAsync("/api/instances", new
        {
            definitionKey = Process,
            variables = new { title, hosts = new[] { "web-1" }, runbook = "true" },
        });

        var problem = await refused.JsonAsync(System.Net.HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Backout plan is required.", (string?)problem["errors"]!["backout"]![0]);
        Assert.Equal(before, await CountAsync());

        async Task<int> CountAsync() =>
            (await server.Admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/instances?definitionKey={Process}&limit=1000"))!.Count;
    }

    [Fact]
    public async Task A_host_outside_the_inventory_is_refused_by_the_start_form()
    {
        using var refused = await server.As("rita").PostAsJsonAsync("/api/instances", new
        {
            definitionKey = Process,
            variables = new { title = UniqueTitle("Somewhere else"), hosts = new[] { "not-in-the-inventory" }, runbook = "true", backout = "true" },
        });

        var problem = await refused.JsonAsync(System.Net.HttpStatusCode.UnprocessableEntity);
        Assert.StartsWith("Hosts must be one of its options", (string?)problem["errors"]!["hosts"]![0]);
    }

    /// <summary>Waits until the instance waits at <paramref name="elementId"/>; fails at once, showing it, when it faults.</summary>
    private async Task WaitAtAsync(string id, string elementId)
    {
        var instance = await WorkflowServer.EventuallyAsync($"{id} waiting at {elementId}", () => server.InstanceAsync(id),
            i => i["active"]!.AsArray().Any(a => (string?)a == elementId) || (string?)i["status"] is "faulted" or "completed" or "failed");
        Assert.True((string?)instance["status"] is not ("faulted" or "completed" or "failed"), $"{id} did not reach {elementId}: {instance.ToJsonString()}");
    }
}
