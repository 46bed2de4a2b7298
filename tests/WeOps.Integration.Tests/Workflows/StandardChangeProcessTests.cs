using static WeOps.Integration.Tests.Workflows.ChangeRecords;

namespace WeOps.Integration.Tests.Workflows;

/// <summary>workflows/change-standard.bpmn end to end: a pre-authorised change from the catalogue goes from new to
/// scheduled, waits for its window, runs on the test sshd and closes without any approval; a failure is backed out
/// and reviewed; a change the catalogue does not list runs nothing.</summary>
public sealed class StandardChangeProcessTests(WorkflowServer server) : IClassFixture<WorkflowServer>
{
    private const string Process = "change-standard";

    [Fact]
    public async Task Standard_change_runs_its_catalogue_script_in_the_window_and_closes_without_any_approval()
    {
        var work = Workspace();
        var log = Path.Combine(work, "app.log");
        await File.WriteAllTextAsync(log, "old lines\n");
        var windowStart = server.Clock.GetUtcNow().AddMinutes(30);
        var id = await server.StartAsync(Process, new
        {
            standardChange = "rotate-log",
            hosts = new[] { "web-1" },
            parameters = new[] { log },
            windowStart = Iso(windowStart),
            requester = "rita",
        }, asUser: "rita");
        var ticket = (string)(await server.WaitForVariableAsync(id, "ticket"))!;

        await server.WaitForTicketStateAsync(ticket, "scheduled");
        await WorkflowServer.EventuallyAsync("the change waiting for its window", () => server.InstanceAsync(id),
            i => i["active"]!.AsArray().Any(a => (string?)a == "window"));
        Assert.False(File.Exists(log + ".1"), "the script ran before the window opened");
        server.Advance(TimeSpan.FromMinutes(30));

        var done = await server.WaitForStatusAsync(id, "completed");
        Assert.Equal("old lines\n", await File.ReadAllTextAsync(log + ".1"));
        Assert.Equal("", await File.ReadAllTextAsync(log));
        var record = await server.TicketAsync(ticket);
        Assert.Equal(["new", "scheduled", "implement", "review", "closed"], States(record));
        Assert.Equal("Rotate log files on web-1", (string?)record["ticket"]!["title"]);
        Assert.Equal("rotate-log", (string?)record["ticket"]!["fields"]!["standardChange"]);
        Assert.Equal($"Pre-authorised standard change rotate-log; window opens {Iso(windowStart)}", NotesOn(record, "scheduled").Single());
        Assert.Equal("Implemented as pre-authorised", NotesOn(record, "closed").Single());

        var passed = WorkflowServer.Passed(done);
        Assert.DoesNotContain(done["history"]!.AsArray(), h => (string?)h!["elementType"] == "userTask");
        Assert.Equal(["window", "ticketImplement", "implement", "ticketReview", "ticketClosed", "closed"], passed.SkipWhile(e => e != "window"));
        Assert.Null(done["variables"]!["approval"]);
    }

    [Fact]
    public async Task Failed_standard_change_runs_the_backout_script_and_a_change_manager_reviews_it_before_it_closes()
    {
        var work = Workspace();
        var rotated = Path.Combine(work, "app.log");
        var missing = Path.Combine(work, "missing.log");
        await File.WriteAllTextAsync(rotated, "kept lines\n");
        var id = await server.StartAsync(Process, new
        {
            standardChange = "rotate-log",
            hosts = "web-1",
            parameters = new[] { rotated, missing },
            requester = "rita",
        }, asUser: "rita");
        var ticket = (string)(await server.WaitForVariableAsync(id, "ticket"))!;

        var review = await server.WaitForTaskAsync(id, "review");
        Assert.Equal(["change-managers"], review["candidateGroups"]!.AsArray().Select(g => (string?)g));
        Assert.Equal("kept lines\n", await File.ReadAllTextAsync(rotated)); // the backout put back what the script had emptied
        Assert.Equal("review", (string?)(await server.TicketAsync(ticket))["ticket"]!["state"]);
        await server.CompleteAsync(id, "review", "max", comment: "check paths before requesting");

        var done = await server.WaitForStatusAsync(id, "completed");
        var record = await server.TicketAsync(ticket);
        Assert.Equal(["new", "scheduled", "implement", "backout", "review", "closed"], States(record));
        Assert.Contains("web-1 (exit code 1)", NotesOn(record, "backout").Single());
        Assert.Equal("check paths before requesting", NotesOn(record, "closed").Single());
        Assert.Equal(["implement", "implementFailed", "ticketBackout", "runBackout", "ticketBackedOutReview", "review", "ticketClosed", "closed"],
            WorkflowServer.Passed(done).SkipWhile(e => e != "implement"));
        Assert.False((bool)done["variables"]!["implemented"]!);
        Assert.Equal("SSH_FAILED", (string?)done["variables"]!["error"]!["code"]);
    }

    [Fact]
    public async Task A_change_the_catalogue_does_not_list_runs_nothing_and_opens_no_ticket()
    {
        var id = await server.StartAsync(Process, new { standardChange = "reboot-everything", hosts = new[] { "web-1" } }, asUser: "rita");

        var faulted = await server.WaitForStatusAsync(id, "faulted");
        var fault = Assert.Single(faulted["faults"]!.AsArray())!;
        Assert.Equal("settings", (string?)fault["elementId"]);
        Assert.Contains("rotate-log, restart-service", (string?)fault["message"]);
        Assert.Null(faulted["variables"]!["ticket"]);
    }
}
