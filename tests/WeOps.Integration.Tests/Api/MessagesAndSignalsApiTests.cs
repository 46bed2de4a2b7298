using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static WeOps.Integration.Tests.Api.WeOpsApi;

namespace WeOps.Integration.Tests.Api;

/// <summary>/api/messages and /api/signals over PostgreSQL: correlated to waiting instances, or starting
/// the processes whose start events they name.</summary>
public sealed class MessagesAndSignalsApiTests(ServerOnPostgres server) : IClassFixture<ServerOnPostgres>
{
    private HttpClient Client => server.Admin;

    [Fact]
    public async Task A_message_is_delivered_to_the_instance_waiting_with_its_correlation_key_only()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("message-catch-correlated-by-order-id"));
        var shipped = (string)(await Client.StartAsync(key, new JsonObject { ["orderId"] = "ORD-1" }))["id"]!;
        var other = (string)(await Client.StartAsync(key, new JsonObject { ["orderId"] = "ORD-2" }))["id"]!;
        await Client.WaitForStatusAsync(shipped, "waiting");

        using var response = await Client.PostAsJsonAsync("/api/messages", new { name = "order.shipped", correlationKey = "ORD-1", variables = new { carrier = "dhl" } });

        var outcome = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal([shipped], outcome["delivered"].Strings());
        Assert.Empty(outcome["started"]!.AsArray());
        var instance = await Client.InstanceAsync(shipped);
        Assert.Equal(("completed", "dhl"), ((string)instance["status"]!, (string?)instance["variables"]!["carrier"]));
        var waiting = await Client.InstanceAsync(other);
        Assert.Equal(("waiting", null), ((string)waiting["status"]!, (string?)waiting["variables"]!["carrier"]));
        Assert.Equal(["shipped"], waiting["active"].Strings());
    }

    [Fact]
    public async Task A_message_nobody_waits_for_starts_the_process_with_that_message_start_event()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("message-start-event-begins-triage"));

        using var response = await Client.PostAsJsonAsync("/api/messages", new { name = "disk.full.firing", variables = new { severity = "critical" } });

        var outcome = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Empty(outcome["delivered"]!.AsArray());
        var id = Assert.Single(outcome["started"].Strings());
        var instance = await Client.InstanceAsync(id);
        Assert.Equal((key, "completed"), ((string)instance["definitionKey"]!, (string)instance["status"]!));
        Assert.Equal(1, (int?)instance["variables"]!["priority"]);
        Assert.Equal("onAlert", (string?)instance["history"]![0]!["elementId"]);
    }

    [Fact]
    public async Task A_signal_reaches_every_instance_waiting_for_it()
    {
        var (key, _) = await Client.DeployAsync(Bpmn("signal-catch-waits-for-change-freeze"));
        var first = (string)(await Client.StartAsync(key))["id"]!;
        var second = (string)(await Client.StartAsync(key))["id"]!;

        using var response = await Client.PostAsJsonAsync("/api/signals", new { name = "change-freeze-integration", variables = new { frozenBy = "cab" } });

        var outcome = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), outcome["delivered"].Strings().Order(StringComparer.Ordinal));
        Assert.Empty(outcome["started"]!.AsArray());
        foreach (var id in new[] { first, second })
        {
            var instance = await Client.InstanceAsync(id);
            Assert.Equal(("completed", "cab"), ((string)instance["status"]!, (string?)instance["variables"]!["frozenBy"]));
        }
    }
}
