using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static WeOps.Integration.Tests.Api.WeOpsApi;

namespace WeOps.Integration.Tests.Api;

/// <summary>What operators do to instances over PostgreSQL: cancel one, and fix the data of a faulted
/// one and retry it.</summary>
public sealed class CancelAndRetryApiTests(ServerOnPostgres server) : IClassFixture<ServerOnPostgres>
{
    private HttpClient Client => server.Admin;

    [Fact]
    public async Task Cancelling_a_waiting_instance_cancels_it_and_its_open_task()
    {
        var id = await StartWaitingForApprovalAsync("cancelled-once");

        using var response = await Client.PostAsJsonAsync($"/api/instances/{id}/cancel", new { reason = "change withdrawn" });

        var cancelled = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", (string?)cancelled["status"]);
        var instance = await Client.InstanceAsync(id);
        Assert.Equal("cancelled", (string?)instance["status"]);
        Assert.NotNull((DateTimeOffset?)instance["endedAt"]);
        Assert.Empty(await Client.TasksAsync(id));
        var task = Assert.Single(await Client.TasksAsync(id, state: "cancelled"))!;
        Assert.Equal("approve", (string?)task["elementId"]);
        Assert.Equal("cancelled", (string?)instance["history"]!.AsArray().Single(s => (string?)s!["elementId"] == "approve")!["outcome"]);
    }

    [Fact]
    public async Task Cancelling_a_cancelled_instance_again_is_a_409_problem()
    {
        var id = await StartWaitingForApprovalAsync("cancelled-twice");
        using (var first = await Client.PostAsJsonAsync($"/api/instances/{id}/cancel", new { }))
            await first.JsonAsync(HttpStatusCode.OK);

        using var again = await Client.PostAsJsonAsync($"/api/instances/{id}/cancel", new { });

        await again.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("cancelled", (string?)(await Client.InstanceAsync(id))["status"]);
    }

    [Fact]
    public async Task A_script_that_throws_faults_the_instance_with_a_fault_naming_the_element_and_the_error()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("script-task-reads-config-server-port", "faulted-by-script"));

        var started = await Client.StartAsync(key, new JsonObject { ["config"] = new JsonObject() });

        Assert.Equal("faulted", (string?)started["status"]);
        var instance = await Client.InstanceAsync((string)started["id"]!);
        Assert.Equal("faulted", (string?)instance["status"]);
        Assert.Equal(["parse"], instance["active"].Strings());
        var fault = Assert.Single(instance["faults"]!.AsArray())!;
        Assert.Equal("parse", (string?)fault["elementId"]);
        Assert.Contains("port", (string?)fault["message"]);
        Assert.Equal("faulted", (string?)instance["history"]!.AsArray().Single(s => (string?)s!["elementId"] == "parse")!["outcome"]);
    }

    [Fact]
    public async Task Setting_the_missing_variable_and_retrying_completes_a_faulted_instance()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("script-task-reads-config-server-port", "retried"));
        var id = (string)(await Client.StartAsync(key, new JsonObject { ["config"] = new JsonObject() }))["id"]!;
        await Client.WaitForStatusAsync(id, "faulted");

        using (var set = await Client.PostAsJsonAsync($"/api/instances/{id}/variables", new { config = new { server = new { port = 1 } } }))
            await set.JsonAsync(HttpStatusCode.OK);
        using var retry = await Client.PostAsync($"/api/instances/{id}/retry", null);

        Assert.Equal("completed", (string?)(await retry.JsonAsync(HttpStatusCode.OK))["status"]);
        var instance = await Client.InstanceAsync(id);
        Assert.Equal("completed", (string?)instance["status"]);
        Assert.Equal(1, (int?)instance["variables"]!["port"]);
        Assert.Empty(instance["faults"]!.AsArray());
    }

    [Fact]
    public async Task Retrying_an_instance_without_a_fault_is_a_409_problem()
    {
        var id = await StartWaitingForApprovalAsync("retried-without-fault");

        using var retry = await Client.PostAsync($"/api/instances/{id}/retry", null);

        var problem = await retry.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("no incident", (string?)problem["detail"]);
        Assert.Equal("waiting", (string?)(await Client.InstanceAsync(id))["status"]);
    }

    private async Task<string> StartWaitingForApprovalAsync(string key)
    {
        await Client.DeployAsync(Bpmn("noop-check-then-approval", key));
        var id = (string)(await Client.StartAsync(key, new JsonObject { ["host"] = "web-1" }))["id"]!;
        await Client.WaitForOpenTaskAsync(id);
        return id;
    }
}
