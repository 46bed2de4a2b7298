using WeOps.Integration.Tests.Api;
using static WeOps.Integration.Tests.Workflows.ChangeRecords;

namespace WeOps.Integration.Tests.Workflows;

/// <summary>workflows/change-emergency.bpmn end to end: no assessment, a quorum of two of the emergency CAB
/// authorises, the runbook runs at once on the test sshd, and a change manager's review always comes before the
/// ticket closes, also after a backout; not authorised, it ends rejected.</summary>
public sealed class EmergencyChangeProcessTests(WorkflowServer server) : IClassFixture<WorkflowServer>
{
    private const string Process = "change-emergency";

    [Fact]
    public async Task Emergency_change_is_authorised_by_a_quorum_of_the_ecab_despite_one_rejection_and_cannot_close_without_its_review()
    {
        var work = Workspace();
        var patched = Path.Combine(work, "patched");
        var title = UniqueTitle("Patch the OpenSSH CVE on web-1");
        var id = await server.StartAsync(Process, new
        {
            title,
            hosts = new[] { "web-1" },
            runbook = $"echo patched > {patched}",
            backout = $"rm -f {patched}",
            requester = "rita",
        }, asUser: "rita");
        var ticket = (string)(await server.WaitForVariableAsync(id, "ticket"))!;

        var approval = await server.TaskAsync(id, "ecabApproval");
        Assert.Equal(["user:eli", "user:erin", "user:ezra"], approval["pendingApprovers"].Strings().Order());
        Assert.Equal(["eli@example.com", "erin@example.com", "ezra@example.com"], await MailedToAsync(title, 3));
        Assert.Equal(["new", "authorize"], States(await server.TicketAsync(ticket)));

        await server.DecideAsync(id, "ecabApproval", "erin", "approve");
        await server.DecideAsync(id, "ecabApproval", "eli", "reject", "wait for the vendor package");
        Assert.Equal(["user:ezra"], (await server.TaskAsync(id, "ecabApproval"))["pendingApprovers"].Strings());
        await server.DecideAsync(id, "ecabApproval", "ezra", "approve", "exploit is public");

        // It runs at once, then waits for the review: nothing closes an emergency change without one.
        var review = await server.WaitForTaskAsync(id, "review");
        Assert.Equal("patched", File.ReadAllText(patched).Trim());
        Assert.True((bool)review["data"]!["implemented"]!);
        Assert.Equal("review", (string?)(await server.TicketAsync(ticket))["ticket"]!["state"]);
        Assert.Equal("waiting", (string?)(await server.InstanceAsync(id))["status"]);
        await server.CompleteAsync(id, "review", "max", comment: "justified; follow up with problem record");

        var done = await server.WaitForStatusAsync(id, "completed");
        var record = await server.TicketAsync(ticket);
        Assert.Equal(["new", "authorize", "scheduled", "implement", "review", "closed"], States(record));
        Assert.Equal("Authorised by erin, ezra; runs at once", NotesOn(record, "scheduled").Single());
        Assert.Equal("P1", (string?)record["ticket"]!["priority"]);
        var passed = WorkflowServer.Passed(done);
        Assert.DoesNotContain(passed, e => e.Contains("assess", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["ticketReview", "review", "ticketClosed", "closed"], passed.SkipWhile(e => e != "ticketReview"));
        var approvalVariable = done["variables"]!["approval"]!;
        Assert.Equal("approved", (string?)approvalVariable["outcome"]);
        Assert.Equal(["approve", "reject", "approve"], approvalVariable["decisions"]!.AsArray().Select(d => (string)d!["decision"]!));
    }

    [Fact]
    public async Task Emergency_change_two_ecab_members_reject_ends_not_authorised_without_running()
    {
        var work = Workspace();
        var patched = Path.Combine(work, "patched");
        var id = await server.StartAsync(Process, new
        {
            title = UniqueTitle("Restart the whole database cluster"),
            hosts = new[] { "web-1" },
            runbook = $"echo restarted > {patched}",
            backout = "true",
            requester = "rita",
        }, asUser: "rita");
        var ticket = (string)(await server.WaitForVariableAsync(id, "ticket"))!;

        await server.DecideAsync(id, "ecabApproval", "erin", "reject", "not an emergency");
        await server.DecideAsync(id, "ecabApproval", "ezra", "reject");

        var done = await server.WaitForStatusAsync(id, "completed");
        Assert.Equal("notAuthorised", WorkflowServer.Passed(done)[^1]);
        Assert.False(File.Exists(patched), "a change the ECAB rejected ran");
        var record = await server.TicketAsync(ticket);
        Assert.Equal(["new", "authorize", "rejected"], States(record));
        Assert.Equal("Not authorised as an emergency (erin: not an emergency; ezra); raise it as a normal change", NotesOn(record, "rejected").Single());
        // Two rejections of three seats make a quorum of two unreachable: eli was not needed.
        Assert.DoesNotContain(done["variables"]!["approval"]!["decisions"]!.AsArray(), d => (string?)d!["approver"] == "eli");
    }

    [Fact]
    public async Task Failed_emergency_change_is_backed_out_and_still_reviewed_before_it_closes()
    {
        var work = Workspace();
        var backedOut = Path.Combine(work, "backed-out");
        var id = await server.StartAsync(Process, new
        {
            title = UniqueTitle("Hotfix the payment gateway config"),
            hosts = new[] { "web-1" },
            runbook = "exit 7",
            backout = $"echo restored > {backedOut}",
            requester = "rita",
        }, asUser: "rita");
        var ticket = (string)(await server.WaitForVariableAsync(id, "ticket"))!;
        await server.DecideAsync(id, "ecabApproval", "eli", "approve");
        await server.DecideAsync(id, "ecabApproval", "erin", "approve");

        var review = await server.WaitForTaskAsync(id, "review");
        Assert.False((bool)review["data"]!["implemented"]!);
        Assert.Equal("restored", File.ReadAllText(backedOut).Trim());
        await server.CompleteAsync(id, "review", "max", comment: "backed out cleanly; raise a normal change");

        var done = await server.WaitForStatusAsync(id, "completed");
        var record = await server.TicketAsync(ticket);
        Assert.Equal(["new", "authorize", "scheduled", "implement", "backout", "review", "closed"], States(record));
        Assert.Contains("web-1 (exit code 7)", NotesOn(record, "backout").Single());
        Assert.Equal(["implement", "implementFailed", "ticketBackout", "runBackout", "ticketBackedOutReview", "review", "ticketClosed", "closed"],
            WorkflowServer.Passed(done).SkipWhile(e => e != "implement"));
    }
}
