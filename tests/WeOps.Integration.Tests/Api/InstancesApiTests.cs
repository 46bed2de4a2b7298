using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static WeOps.Integration.Tests.Api.WeOpsApi;

namespace WeOps.Integration.Tests.Api;

/// <summary>/api/instances and /api/tasks over PostgreSQL, with the server's own workers running jobs:
/// a noop service task, then a user task.</summary>
public sealed class InstancesApiTests(ServerOnPostgres server) : IClassFixture<ServerOnPostgres>
{
    private HttpClient Client => server.Admin;

    [Fact]
    public async Task Starting_an_instance_is_a_201_with_its_id_and_status()
    {
        var (key, version) = await Client.DeployAsync(Bpmn("noop-check-then-approval", "started"));

        using var response = await Client.PostAsJsonAsync("/api/instances", new { definitionKey = key, variables = new { host = "web-1" }, businessKey = "CHG-1" });

        var instance = await response.JsonAsync(HttpStatusCode.Created);
        var id = Guid.Parse((string)instance["id"]!);
        Assert.Equal($"/api/instances/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal((key, version, "CHG-1"), ((string)instance["definitionKey"]!, (int)instance["version"]!, (string?)instance["businessKey"]));
        // The service task is a job the worker has yet to run.
        Assert.Equal("running", (string?)instance["status"]);
        Assert.Equal("web-1", (string?)instance["variables"]!["host"]);
    }

    [Fact]
    public async Task Starting_an_unknown_process_is_a_404_problem()
    {
        using var response = await Client.PostAsJsonAsync("/api/instances", new { definitionKey = "no-such-process" });

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("no-such-process", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Starting_a_process_with_no_published_version_is_a_422_problem()
    {
        using (var saved = await Client.SaveDraftAsync(Bpmn("noop-check-then-approval", "draft-only")))
            await saved.JsonAsync(HttpStatusCode.OK);

        using var response = await Client.PostAsJsonAsync("/api/instances", new { definitionKey = "draft-only" });

        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("no published version", (string?)problem["detail"]);
        Assert.Empty(await Client.InstancesAsync("definitionKey=draft-only"));
    }

    [Fact]
    public async Task The_list_filters_by_definition_key_status_and_business_key()
    {
        var (listed, _) = await Client.DeployAsync(Bpmn("noop-check-then-approval", "listed"));
        var (other, _) = await Client.DeployAsync(Bpmn("noop-check-then-approval", "listed-other"));
        var first = (string)(await Client.StartAsync(listed, Host("web-1"), "LIST-1"))["id"]!;
        var second = (string)(await Client.StartAsync(listed, Host("web-2"), "LIST-2"))["id"]!;
        var third = (string)(await Client.StartAsync(other, Host("web-3"), "LIST-1"))["id"]!;
        foreach (var id in new[] { first, second, third }) await Client.WaitForStatusAsync(id, "waiting");
        await CompleteOpenTaskAsync(second, new { outcome = "approved" });

        Assert.Equal(Sorted(first, second), Ids(await Client.InstancesAsync("definitionKey=listed")));
        Assert.Equal(Sorted(first), Ids(await Client.InstancesAsync("definitionKey=listed&status=waiting")));
        Assert.Equal(Sorted(second), Ids(await Client.InstancesAsync("definitionKey=listed&status=completed")));
        Assert.Equal(Sorted(first, third), Ids(await Client.InstancesAsync("businessKey=LIST-1")));
        Assert.Equal(Sorted(third), Ids(await Client.InstancesAsync("definitionKey=listed-other&businessKey=LIST-1")));
        Assert.Empty(await Client.InstancesAsync("definitionKey=listed&status=cancelled"));
    }

    [Fact]
    public async Task An_instance_waits_once_the_worker_has_run_its_service_task_and_its_user_task_is_listed()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("noop-check-then-approval", "waits-for-task"));
        var id = (string)(await Client.StartAsync(key, Host("web-1")))["id"]!;

        await Client.WaitForStatusAsync(id, "waiting");

        var task = Assert.Single(await Client.TasksAsync(id))!;
        Assert.Equal(id, (string?)task["instanceId"]);
        Assert.Equal(("approve", "Approve the change", "open"), ((string)task["elementId"]!, (string?)task["name"], (string)task["state"]!));
        Assert.Equal(["cab"], task["candidateGroups"].Strings());
    }

    [Fact]
    public async Task The_instance_shows_its_variables_active_elements_history_and_faults()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("noop-check-then-approval", "detailed"));
        var id = (string)(await Client.StartAsync(key, Host("web-1")))["id"]!;

        var instance = await Client.WaitForStatusAsync(id, "waiting");

        Assert.Equal("web-1", (string?)instance["variables"]!["host"]);
        Assert.Equal(42, (int?)instance["variables"]!["freePercent"]);
        Assert.Equal(["approve"], instance["active"].Strings());
        Assert.Empty(instance["faults"]!.AsArray());
        var history = instance["history"]!.AsArray();
        Assert.Equal(
            ["start startEvent Change requested completed", "check serviceTask Check disk completed", "approve userTask Approve the change active"],
            history.Select(s => $"{s!["elementId"]} {s["elementType"]} {s["name"]} {s["outcome"]}"));
        Assert.All(history, s => Assert.NotNull((DateTimeOffset?)s!["startedAt"]));
        Assert.All(history.Take(2), s => Assert.True((DateTimeOffset)s!["endedAt"]! >= (DateTimeOffset)s["startedAt"]!));
        Assert.Null(history[2]!["endedAt"]);
    }

    [Fact]
    public async Task Completing_the_task_completes_the_instance_with_the_submitted_variables()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("noop-check-then-approval", "completed-by-task"));
        var id = (string)(await Client.StartAsync(key, Host("web-1")))["id"]!;
        await Client.WaitForStatusAsync(id, "waiting");
        var taskId = (long)Assert.Single(await Client.TasksAsync(id))!["id"]!;

        using var response = await Client.CompleteTaskAsync(taskId, new { outcome = "approved", variables = new { window = "sat 02:00" }, comment = "low risk" });

        var task = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("completed", "admin"), ((string)task["state"]!, (string?)task["endedBy"]));
        var instance = await Client.InstanceAsync(id);
        Assert.Equal("completed", (string?)instance["status"]);
        Assert.NotNull((DateTimeOffset?)instance["endedAt"]);
        var variables = instance["variables"]!;
        Assert.Equal(("approved", "sat 02:00", "low risk"), ((string?)variables["outcome"], (string?)variables["window"], (string?)variables["comment"]));
        Assert.Empty(instance["active"]!.AsArray());
        Assert.Empty(await Client.TasksAsync(id));
        Assert.Equal("admin", (string?)instance["history"]!.AsArray().Single(s => (string?)s!["elementId"] == "approve")!["actor"]);
    }

    [Fact]
    public async Task Completing_a_completed_task_again_is_a_409_problem()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("noop-check-then-approval", "completed-twice"));
        var id = (string)(await Client.StartAsync(key, Host("web-1")))["id"]!;
        await Client.WaitForStatusAsync(id, "waiting");
        var taskId = await CompleteOpenTaskAsync(id, new { outcome = "approved" });

        using var again = await Client.CompleteTaskAsync(taskId, new { outcome = "rejected" });

        var problem = await again.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("completed", (string?)problem["detail"]);
        Assert.Equal("approved", (string?)(await Client.InstanceAsync(id))["variables"]!["outcome"]);
    }

    [Fact]
    public async Task Completing_an_unknown_task_is_a_404_problem()
    {
        using var response = await Client.CompleteTaskAsync(987_654_321, new { outcome = "approved" });

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("987654321", (string?)problem["detail"]);
    }

    [Fact]
    public async Task An_unknown_instance_is_a_404_problem()
    {
        using var response = await Client.GetAsync($"/api/instances/{Guid.NewGuid()}");

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<long> CompleteOpenTaskAsync(string instanceId, object body)
    {
        var taskId = (long)Assert.Single(await Client.TasksAsync(instanceId))!["id"]!;
        using var response = await Client.CompleteTaskAsync(taskId, body);
        await response.JsonAsync(HttpStatusCode.OK);
        return taskId;
    }

    private static JsonObject Host(string host) => new() { ["host"] = host };

    private static List<string> Ids(JsonArray instances) => Sorted([.. instances.Select(i => (string)i!["id"]!)]);

    private static List<string> Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];
}
