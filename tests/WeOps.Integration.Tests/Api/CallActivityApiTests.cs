using System.Net;
using System.Text.Json.Nodes;
using static WeOps.Integration.Tests.Api.WeOpsApi;

namespace WeOps.Integration.Tests.Api;

/// <summary>Call activities over PostgreSQL: the parent waits for the child instance it started, and
/// goes on once the child ends.</summary>
public sealed class CallActivityApiTests(ServerOnPostgres server) : IClassFixture<ServerOnPostgres>
{
    private HttpClient Client => server.Admin;

    [Fact]
    public async Task The_parent_waits_for_the_child_user_task_and_completing_it_resumes_the_parent()
    {
        var (child, _) = await Client.DeployAsync(Bpmn("call-activity-child-asks-for-approval"));
        var (parent, _) = await Client.DeployAsync(Bpmn("call-activity-parent-waits-for-child"));
        var parentId = (string)(await Client.StartAsync(parent, new JsonObject { ["change"] = "CHG-9" }))["id"]!;

        var childInstance = Assert.Single(await Client.InstancesAsync($"definitionKey={child}"))!;
        Assert.Equal(parentId, (string?)childInstance["parentId"]);
        var childId = (string)childInstance["id"]!;
        Assert.Equal("CHG-9", (string?)(await Client.InstanceAsync(childId))["variables"]!["change"]);
        var waiting = await Client.InstanceAsync(parentId);
        Assert.Equal(["callApproval"], waiting["active"].Strings());
        Assert.Equal("running", (string?)waiting["status"]);
        var task = Assert.Single(await Client.TasksAsync(childId))!;

        using (var completed = await Client.CompleteTaskAsync((long)task["id"]!, new { variables = new { approver = "bob" } }))
            await completed.JsonAsync(HttpStatusCode.OK);

        Assert.Equal("completed", (string?)(await Client.InstanceAsync(childId))["status"]);
        var resumed = await Client.WaitForStatusAsync(parentId, "completed");
        Assert.Equal("bob", (string?)resumed["variables"]!["approvedBy"]);
        Assert.Equal("completed", (string?)resumed["history"]!.AsArray().Single(s => (string?)s!["elementId"] == "callApproval")!["outcome"]);
    }
}
