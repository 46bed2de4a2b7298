using System.Net;
using System.Net.Http.Json;
using static WeOps.Integration.Tests.Api.WeOpsApi;

namespace WeOps.Integration.Tests.Api;

/// <summary>Versions over PostgreSQL: an instance stays on the version it started on, and moves to
/// another only by an explicit, validated mapping of its active elements.</summary>
public sealed class MigrationApiTests(ServerOnPostgres server) : IClassFixture<ServerOnPostgres>
{
    private HttpClient Client => server.Admin;

    [Fact]
    public async Task Migrating_without_mapping_a_waiting_task_that_version_2_renamed_is_a_422_naming_it()
    {
        var id = await StartOnVersion1ThenPublishVersion2Async("migration-refused");

        using var response = await Client.PostAsJsonAsync($"/api/instances/{id}/migrate", new { toVersion = 2, mapping = new { } });

        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var reason = Assert.Single(problem["reasons"].Strings());
        Assert.Contains("'review'", reason);
        var instance = await Client.InstanceAsync(id);
        Assert.Equal((1, "waiting"), ((int)instance["version"]!, (string)instance["status"]!));
        Assert.Equal("review", (string?)Assert.Single(await Client.TasksAsync(id))!["elementId"]);
    }

    [Fact]
    public async Task Migrating_with_a_mapping_moves_the_task_and_the_instance_completes_on_version_2()
    {
        var id = await StartOnVersion1ThenPublishVersion2Async("migration-mapped");

        using var response = await Client.PostAsJsonAsync($"/api/instances/{id}/migrate", new { toVersion = 2, mapping = new { review = "peerReview" } });

        var migrated = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, (int?)migrated["version"]);
        Assert.Equal(["peerReview"], (await Client.InstanceAsync(id))["active"].Strings());
        var task = Assert.Single(await Client.TasksAsync(id))!;
        Assert.Equal("peerReview", (string?)task["elementId"]);
        using (var completed = await Client.CompleteTaskAsync((long)task["id"]!, new { outcome = "ok" }))
            await completed.JsonAsync(HttpStatusCode.OK);
        var instance = await Client.InstanceAsync(id);
        Assert.Equal((2, "completed", "v2"), ((int)instance["version"]!, (string)instance["status"]!, (string?)instance["variables"]!["reviewedOn"]));
    }

    [Fact]
    public async Task An_instance_started_on_version_1_stays_on_it_after_version_2_is_published()
    {
        var pinned = await StartOnVersion1ThenPublishVersion2Async("pinned");
        var later = (string)(await Client.StartAsync("pinned"))["id"]!;

        var instance = await Client.InstanceAsync(pinned);
        Assert.Equal(1, (int?)instance["version"]);
        Assert.Equal(2, (int?)(await Client.InstanceAsync(later))["version"]);
        var task = Assert.Single(await Client.TasksAsync(pinned))!;
        Assert.Equal("review", (string?)task["elementId"]);
        using (var completed = await Client.CompleteTaskAsync((long)task["id"]!, new { outcome = "ok" }))
            await completed.JsonAsync(HttpStatusCode.OK);
        instance = await Client.InstanceAsync(pinned);
        Assert.Equal((1, "completed"), ((int)instance["version"]!, (string)instance["status"]!));
        Assert.Null(instance["variables"]!["reviewedOn"]);
        Assert.Equal(["start", "review", "end"], instance["history"]!.AsArray().Select(s => (string)s!["elementId"]!));
    }

    private async Task<string> StartOnVersion1ThenPublishVersion2Async(string key)
    {
        Assert.Equal(1, (await Client.DeployAsync(Bpmn("migrate-v1-review", key))).Version);
        var id = (string)(await Client.StartAsync(key))["id"]!;
        await Client.WaitForOpenTaskAsync(id);
        Assert.Equal(2, (await Client.DeployAsync(Bpmn("migrate-v2-review-renamed-to-peer-review", key))).Version);
        return id;
    }
}
