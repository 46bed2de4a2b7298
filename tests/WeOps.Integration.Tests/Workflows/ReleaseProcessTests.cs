using System.Text.Json.Nodes;
using WeOps.Activities.Tests.Kubernetes;
using WeOps.Integration.Tests.Api;

namespace WeOps.Integration.Tests.Workflows;

/// <summary>workflows/release.bpmn end to end: release ticket REL-, release managers plan, build, approve the tests
/// and review; the deployment rolls out on the Kubernetes emulation (or runs over SSH on the test sshd), the health
/// check asks the test bed's health endpoint, and a failed check rolls back.</summary>
public sealed class ReleaseProcessTests(WorkflowServer server) : IClassFixture<WorkflowServer>
{
    private const string PreviousImage = "registry.example.com/shop:2.3.0";
    private const string NewImage = "registry.example.com/shop:2.4.0";

    [Fact]
    public async Task Approved_release_rolls_out_on_kubernetes_passes_its_health_check_and_closes()
    {
        server.Healthy = true;
        var deployment = SeedDeployment();
        var (id, ticket) = await StartKubernetesReleaseAsync(deployment);

        await BuildAndApproveAsync(id, ticket);
        var checksBefore = server.HealthChecks;
        await SettleAsync(id);
        await server.WaitForTicketStateAsync(ticket, "review");

        var template = server.Kube.Get("Deployment", WorkflowServer.Namespace, deployment)!["spec"]!["template"]!;
        Assert.Equal(NewImage, (string?)template["spec"]!["containers"]![0]!["image"]);
        Assert.Equal($"{ticket} 2.4.0", (string?)template["metadata"]!["annotations"]!["weops.io/release"]);
        Assert.Equal("ops", (string?)template["metadata"]!["annotations"]!["team"]);
        Assert.True(server.HealthChecks > checksBefore);

        await server.CompleteAsync(id, "review", "rose", comment: "Went fine.");
        var instance = await server.WaitForStatusAsync(id, "completed");

        var passed = WorkflowServer.Passed(instance);
        Assert.Equal("closed", passed[^1]);
        Assert.Contains("rollOut", passed);
        Assert.DoesNotContain("startRollback", passed);
        Assert.DoesNotContain("runDeploy", passed);
        Assert.Equal(200, (int)instance["variables"]!["healthStatus"]!);
        Assert.False((bool)instance["variables"]!["rolledBack"]!);
        var closed = await server.TicketAsync(ticket);
        Assert.Equal("closed", (string?)closed["ticket"]!["state"]);
        Assert.Equal(["build", "test", "deploy", "review", "closed"], Moves(closed));
    }

    [Fact]
    public async Task Failed_health_check_rolls_back_to_the_previous_image_and_goes_to_review()
    {
        server.Healthy = false;
        var deployment = SeedDeployment();
        var (id, ticket) = await StartKubernetesReleaseAsync(deployment);

        await BuildAndApproveAsync(id, ticket);
        await SettleAsync(id);
        var review = await server.WaitForTicketStateAsync(ticket, "review");
        await server.WaitForTaskAsync(id, "review");

        var container = server.Kube.Get("Deployment", WorkflowServer.Namespace, deployment)!["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(PreviousImage, (string?)container["image"]);
        Assert.Equal(["build", "test", "deploy", "rollback", "review"], Moves(review));
        var rollbackNote = Timeline(review).Single(e => (string?)e["detail"]?["to"] == "rollback");
        Assert.Contains("HTTP_503", (string?)rollbackNote["text"] ?? "", StringComparison.Ordinal);
        // The new image went out first, then the previous one came back.
        var applies = server.Kube.Writes.Where(w => w.Path.EndsWith($"/deployments/{deployment}", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, applies.Count);
        Assert.Contains(NewImage, applies[0].Body, StringComparison.Ordinal);
        Assert.Contains(PreviousImage, applies[1].Body, StringComparison.Ordinal);

        await server.CompleteAsync(id, "review", "rick", comment: "Health endpoint failed after the rollout; rolled back.");
        var instance = await server.WaitForStatusAsync(id, "completed");

        var passed = WorkflowServer.Passed(instance);
        Assert.Equal(["checkHealth", "unhealthy", "startRollback", "rollbackHow", "rollBack", "rolledBackReview", "review", "closeTicket", "closed"],
            passed.SkipWhile(e => e != "checkHealth"));
        Assert.True((bool)instance["variables"]!["rolledBack"]!);
        Assert.Equal("closed", (string?)(await server.TicketAsync(ticket))["ticket"]!["state"]);
    }

    [Fact]
    public async Task Rejected_tests_send_the_release_back_to_build()
    {
        server.Healthy = true;
        var deployment = SeedDeployment();
        var (id, ticket) = await StartKubernetesReleaseAsync(deployment);
        await server.CompleteAsync(id, "plan", "rick");
        await server.CompleteAsync(id, "build", "rose", new { image = NewImage });
        await server.WaitForTicketStateAsync(ticket, "test");

        await server.DecideAsync(id, "approveTests", "rick", "reject", "Checkout fails in the smoke test.");

        var rebuilding = await server.WaitForTicketStateAsync(ticket, "build");
        await server.WaitForTaskAsync(id, "build");
        Assert.Equal(["build", "test", "build"], Moves(rebuilding));
        var back = Timeline(rebuilding).Last(e => (string?)e["kind"] == "transition");
        Assert.Equal("Tests rejected: Checkout fails in the smoke test.", (string?)back["text"]);
        var instance = await server.InstanceAsync(id);
        Assert.Equal(["build"], instance["active"].Strings());
        Assert.Equal("rejected", (string?)instance["variables"]!["approval"]!["outcome"]);
        Assert.Contains("backToBuild", WorkflowServer.Passed(instance));
        Assert.DoesNotContain(server.Kube.Writes, w => w.Path.EndsWith($"/deployments/{deployment}", StringComparison.Ordinal));

        // The fixed build goes through test again, and on.
        await server.CompleteAsync(id, "build", "rose", new { image = NewImage });
        await server.WaitForTicketStateAsync(ticket, "test");
        await server.DecideAsync(id, "approveTests", "rick", "approve");
        await server.WaitForTicketStateAsync(ticket, "deploy");
    }

    [Fact]
    public async Task Release_over_ssh_runs_the_deploy_command_on_its_hosts_and_closes()
    {
        server.Healthy = true;
        var id = await server.StartAsync("release", new
        {
            title = "Billing",
            version = "7.1.0",
            deployTarget = "ssh",
            hosts = new[] { "web-1" },
            deployCommand = "printf 'deployed billing %s\\n'",
            rollbackCommand = "printf 'rolled back billing to %s\\n'",
            previousVersion = "7.0.3",
            healthUrl = server.HealthUrl,
        }, asUser: "rita");
        var ticket = (string)(await server.WaitForVariableAsync(id, "ticket"))!;

        await BuildAndApproveAsync(id, ticket);
        await SettleAsync(id);
        await server.WaitForTicketStateAsync(ticket, "review");
        await server.CompleteAsync(id, "review", "rose");
        var instance = await server.WaitForStatusAsync(id, "completed");

        Assert.Equal("web-1: deployed billing 7.1.0\n", (string?)instance["variables"]!["deployOutput"]);
        var passed = WorkflowServer.Passed(instance);
        Assert.Contains("runDeploy", passed);
        Assert.DoesNotContain("rollOut", passed);
        var closed = await server.TicketAsync(ticket);
        Assert.Equal(["build", "test", "deploy", "review", "closed"], Moves(closed));
        Assert.Equal(["web-1"], closed["ticket"]!["affected"]!["hosts"].Strings());
    }

    [Fact]
    public async Task Release_without_a_health_check_address_stops_before_a_ticket_is_opened()
    {
        var id = await server.StartAsync("release", new { title = "Shop", version = "2.4.1", deployment = "shop" }, asUser: "rita");

        var instance = await server.WaitForStatusAsync(id, "faulted");

        var fault = Assert.Single(instance["faults"]!.AsArray())!;
        Assert.Equal("settings", (string?)fault["elementId"]);
        Assert.Contains("healthUrl", (string?)fault["message"] ?? "", StringComparison.Ordinal);
        Assert.Null(instance["variables"]!["ticket"]);
    }

    private string SeedDeployment()
    {
        var name = "shop-" + Guid.NewGuid().ToString("N")[..8];
        var seed = JsonNode.Parse(Seeds.Deployment(name, replicas: 3, ns: WorkflowServer.Namespace))!;
        seed["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = PreviousImage;
        server.Kube.Seed(seed.ToJsonString());
        return name;
    }

    private async Task<(string Id, string Ticket)> StartKubernetesReleaseAsync(string deployment)
    {
        var id = await server.StartAsync("release", new
        {
            title = "Shop",
            version = "2.4.0",
            deployment,
            previousImage = PreviousImage,
            healthUrl = server.HealthUrl,
        }, asUser: "rita");
        var ticket = (string)(await server.WaitForVariableAsync(id, "ticket"))!;
        var opened = await server.TicketAsync(ticket);
        Assert.StartsWith("REL-", ticket, StringComparison.Ordinal);
        Assert.Equal("plan", (string?)opened["ticket"]!["state"]);
        Assert.Equal("release-managers", (string?)opened["ticket"]!["group"]);
        return (id, ticket);
    }

    /// <summary>Plan and build by the release managers, the tests approved by one of them (not the requester).</summary>
    private async Task BuildAndApproveAsync(string id, string ticket)
    {
        await server.CompleteAsync(id, "plan", "rick");
        await server.WaitForTicketStateAsync(ticket, "build");
        await server.CompleteAsync(id, "build", "rose", new { image = NewImage });
        await server.WaitForTicketStateAsync(ticket, "test");
        await server.DecideAsync(id, "approveTests", "rick", "approve", "Smoke and regression tests pass.");
        await server.WaitForTicketStateAsync(ticket, "deploy");
    }

    /// <summary>Waits until the instance waits for the rollout to settle, then moves the clock past the delay.</summary>
    private async Task SettleAsync(string id)
    {
        await WorkflowServer.EventuallyAsync($"{id} waiting at settle", () => server.InstanceAsync(id),
            i => i["active"]!.AsArray().Any(a => (string?)a == "settle") || (string?)i["status"] is "faulted" or "completed");
        var instance = await server.InstanceAsync(id);
        Assert.True((string?)instance["status"] != "faulted", instance.ToJsonString());
        server.Advance(TimeSpan.FromMinutes(2));
    }

    private static List<JsonNode> Timeline(JsonNode ticket) => [.. ticket["timeline"]!.AsArray().Select(e => e!)];

    /// <summary>The states the ticket moved to, in order.</summary>
    private static List<string> Moves(JsonNode ticket) =>
        [.. Timeline(ticket).Where(e => (string?)e["kind"] == "transition").Select(e => (string)e["detail"]!["to"]!)];
}
