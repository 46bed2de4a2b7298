using System.Net;
using System.Net.Http.Json;

namespace WeOps.Server.Tests.Approvals;

/// <summary>Who may complete a user task: its assignee, its candidate users and the members of its candidate groups;
/// anybody with tasks:work when it is offered to nobody; operators always (they may reassign it to themselves).</summary>
[Collection(ApprovalCollection.Name)]
public sealed class TaskCompletionTests(ApprovalServer approvals)
{
    [Fact]
    public async Task A_task_offered_to_a_group_is_completed_by_a_member_and_refused_to_an_approver_outside_it()
    {
        var key = await approvals.PublishAsync("""<ops:assignment candidateGroups="cab" candidateUsers="alice" />""");
        var (id, _) = await approvals.StartAsync(key);
        var task = (long)(await approvals.WaitForTaskAsync(id, "approve"))["id"]!;
        var bob = await ApproverOnlyAsync("bob");
        var cora = await ApproverOnlyAsync("cora");

        using var refused = await bob.PostAsJsonAsync($"/api/tasks/{task}/complete", new { outcome = "approve" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var detail = (string?)(await refused.JsonAsync())["detail"];
        Assert.Contains("offered to alice", detail, StringComparison.Ordinal);
        Assert.Contains("offered to the group(s) cab", detail, StringComparison.Ordinal);
        Assert.Contains("bob is none of them", detail, StringComparison.Ordinal);
        Assert.Equal("approve", (string?)(await approvals.WaitForTaskAsync(id, "approve"))["elementId"]);

        using var completed = await cora.PostAsJsonAsync($"/api/tasks/{task}/complete", new { outcome = "approve" });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.Equal("cora", (string?)(await completed.JsonAsync())["endedBy"]);
    }

    [Fact]
    public async Task A_task_offered_to_nobody_is_completed_by_any_approver_and_an_operator_completes_anyones()
    {
        var key = await approvals.PublishAsync("""<ops:assignment assignee="alice" />""");
        var (first, _) = await approvals.StartAsync(key);
        var assigned = (long)(await approvals.WaitForTaskAsync(first, "approve"))["id"]!;
        var bob = await ApproverOnlyAsync("bob");

        using (var refused = await bob.PostAsJsonAsync($"/api/tasks/{assigned}/complete", new { outcome = "approve" }))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        // The fixture routes on approval.outcome, which a plain user task leaves to its form.
        using (var byOperator = await approvals.As("carol").PostAsJsonAsync($"/api/tasks/{assigned}/complete", new { variables = new { approval = new { outcome = "approved" } } }))
            Assert.Equal(HttpStatusCode.OK, byOperator.StatusCode);

        // "deploy" is offered to nobody: any caller with tasks:work may take it.
        var deploy = (long)(await approvals.WaitForTaskAsync(first, "deploy"))["id"]!;
        using var open = await bob.PostAsJsonAsync($"/api/tasks/{deploy}/complete", new { });
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }

    /// <summary>A key of <paramref name="username"/> with the approver role only (the fixture's own keys also operate).</summary>
    private async Task<HttpClient> ApproverOnlyAsync(string username)
    {
        using var created = await approvals.Admin.PostAsJsonAsync("/api/keys", new { name = $"{username} approves only {Guid.NewGuid():N}", roles = new[] { "approver" }, user = username });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return approvals.Server.NewClient((string)(await created.JsonAsync())["key"]!);
    }
}
