using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WeOps.Engine.Persistence;
using WeOps.Server.Auth;

namespace WeOps.Server.Tests;

/// <summary>The alert intake over HTTP: each source's payload (replays of documented examples), the URL
/// secret, the log, the breakers, and garbage that must be refused with a 4xx naming the problem.</summary>
public sealed class AlertsEndpointsTests : IAsyncLifetime
{
    private const string ZabbixSecret = "zabbix-secret-0123456789abcdef";
    private const string GenericSecret = "generic-secret-0123456789abcdef";
    private RunningServer server = null!;
    private HttpClient admin = null!;

    private static string Process(string key, string match) => $$"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:message id="resolved" name="alert.resolved" />
          <bpmn:process id="{{key}}" isExecutable="true">
            <bpmn:startEvent id="alert"><bpmn:extensionElements><ops:alert match='{{match}}' /></bpmn:extensionElements></bpmn:startEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="alert" targetRef="recovered" />
            <bpmn:intermediateCatchEvent id="recovered">
              <bpmn:extensionElements><ops:subscription correlationKey="${alert.fingerprint}" /></bpmn:extensionElements>
              <bpmn:messageEventDefinition messageRef="resolved" />
            </bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="f2" sourceRef="recovered" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync([$"--Auth:AdminApiKey={RunningServer.AdminKey}", $"--Alerts:Sources:zabbix:Secret={ZabbixSecret}", $"--Alerts:Sources:generic:Secret={GenericSecret}"]);
        admin = server.NewClient(RunningServer.AdminKey);
        var definitions = server.Services.GetRequiredService<DefinitionStore>();
        foreach (var (key, match) in new[] { ("disk-full", "alertname=\"DiskFull\""), ("grafana-blue", "team=\"blue\""), ("zabbix-cpu", "alertname=~\"High CPU.*\", host=\"web-1\"") })
        {
            var saved = await definitions.SaveDraftAsync(Process(key, match), "test", CancellationToken.None);
            Assert.True(saved.Key is not null, string.Join("; ", saved.Problems));
            await definitions.PublishAsync(key, null, "test", CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static string Fixture(string name) => Http.Fixture(Path.Combine("alerts", name));

    private async Task<JsonNode> AcceptedAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    private async Task<string> WaitForStatusAsync(string instanceId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            var detail = await (await admin.GetAsync($"/api/instances/{instanceId}")).JsonAsync();
            seen = (string?)detail["status"] ?? (string?)detail["summary"]?["status"];
            if (seen == status) return seen;
            await Task.Delay(50);
        }

        return seen ?? "(none)";
    }

    [Fact]
    public async Task An_alertmanager_group_starts_one_instance_per_fingerprint_and_a_resend_is_counted()
    {
        var first = await AcceptedAsync(await admin.PostAsync("/api/alerts/alertmanager", Json(Fixture("alertmanager-webhook-v4-firing.json"))));
        var resend = await AcceptedAsync(await admin.PostAsync("/api/alerts/alertmanager", Json(Fixture("alertmanager-webhook-v4-firing.json"))));

        Assert.Equal((2, 2, 0, 0), ((int)first["accepted"]!, first["started"]!.AsArray().Count, (int)first["deduplicated"]!, (int)first["suppressed"]!));
        Assert.Equal((0, 2), (resend["started"]!.AsArray().Count, (int)resend["deduplicated"]!));
        var log = await (await admin.GetAsync("/api/alerts?processKey=disk-full&outcome=started")).JsonAsync();
        var items = log["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal(2, (int)i!["count"]!));
        Assert.Contains(items, i => (string?)i!["fingerprint"] == "3b1f2e4c5d6a7b8c" && (string?)i["labels"]!["instance"] == "web-1:9100");
    }

    [Fact]
    public async Task The_grafana_documentation_example_starts_both_of_its_alerts()
    {
        var result = await AcceptedAsync(await admin.PostAsync("/api/alerts/grafana", Json(Fixture("grafana-docs-webhook-notifier-example.json"))));

        Assert.Equal(2, result["started"]!.AsArray().Count);
        var log = (await (await admin.GetAsync("/api/alerts?source=grafana")).JsonAsync())["items"]!.AsArray();
        Assert.Equal(["bc97ff14869b13e3", "c6eadffa33fcdf37"], log.Select(i => (string)i!["fingerprint"]!).Order());
        Assert.All(log, i => Assert.Equal("grafana-blue", (string?)i!["processKey"]));
        Assert.Contains(log, i => (string?)i!["annotations"]!["runbook_url"] == "https://myrunbook.com/runbook/1234");
        Assert.All(log, i => Assert.Null(i!["endsAt"])); // the zero time means "not ended"
    }

    [Fact]
    public async Task A_zabbix_problem_by_url_secret_starts_the_runbook_and_its_recovery_completes_it()
    {
        var anonymous = server.NewClient();
        var problem = await AcceptedAsync(await anonymous.PostAsync($"/api/alerts/zabbix?secret={ZabbixSecret}", Json(Fixture("zabbix-media-type-problem.json"))));
        var id = (string)problem["started"]!.AsArray().Single()!;
        Assert.Equal("waiting", await WaitForStatusAsync(id, "waiting"));

        var detail = await (await admin.GetAsync($"/api/instances/{id}")).JsonAsync();
        var alert = detail["variables"]?["alert"] ?? detail["state"]?["variables"]?["alert"];
        Assert.Equal("zabbix-8421", (string?)alert!["fingerprint"]);
        Assert.Equal("high", (string?)alert["labels"]!["severity"]);
        Assert.Equal("nginx", (string?)alert["labels"]!["service"]);
        Assert.Equal("2026-05-01T07:58:12.0000000+00:00", DateTimeOffset.Parse((string)alert["startsAt"]!, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime().ToString("O"));

        await AcceptedAsync(await anonymous.PostAsync($"/api/alerts/zabbix?secret={ZabbixSecret}", Json(Fixture("zabbix-media-type-recovery.json"))));
        Assert.Equal("completed", await WaitForStatusAsync(id, "completed"));
    }

    [Fact]
    public async Task The_generic_shape_may_be_sent_with_its_own_url_secret()
    {
        var result = await AcceptedAsync(await server.NewClient().PostAsync($"/api/alerts?secret={GenericSecret}",
            Json("{\"status\": \"firing\", \"labels\": {\"alertname\": \"DiskFull\", \"instance\": \"db-1\"}}")));
        Assert.Single(result["started"]!.AsArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.NewClient().PostAsync($"/api/alerts/zabbix?secret={GenericSecret}", Json(Fixture("zabbix-media-type-problem.json")))).StatusCode);
    }

    [Theory]
    [InlineData("/api/alerts/zabbix?secret=wrong-secret-0123456789abcdef")]
    [InlineData("/api/alerts/grafana?secret=" + ZabbixSecret)] // a secret belongs to one source
    [InlineData("/api/alerts/zabbix")]
    public async Task Without_a_key_or_the_source_secret_intake_is_401(string path)
    {
        using var response = await server.NewClient().PostAsync(path, Json(Fixture("zabbix-media-type-problem.json")));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public static TheoryData<string, string, string> Garbage() => new()
    {
        { "/api/alerts/alertmanager", "{\"alerts\": [", "not valid JSON" },
        { "/api/alerts/alertmanager", "{\"alerts\": \"many\"}", "wrong type" },
        { "/api/alerts/alertmanager", "{\"version\": \"4\"}", "alerts is required" },
        { "/api/alerts/alertmanager", "{\"alerts\": [null]}", "alerts[0] is null" },
        { "/api/alerts/alertmanager", "{\"alerts\": [{\"status\": \"burning\", \"labels\": {\"a\": \"b\"}}]}", "alerts[0].status must be" },
        { "/api/alerts/alertmanager", "{\"alerts\": [{\"status\": \"firing\", \"labels\": {}}]}", "may not be empty" },
        { "/api/alerts/alertmanager", "{\"alerts\": [{\"status\": \"firing\", \"labels\": {\"a\": 5}}]}", "wrong type" },
        { "/api/alerts/alertmanager", "{\"alerts\": [{\"status\": \"firing\", \"labels\": {\"a\": \"b\"}, \"startsAt\": \"yesterday\"}]}", "not valid JSON" },
        { "/api/alerts", "{\"status\": \"firing\", \"labels\": {\"a\": \"b\"}, \"fingerprint\": \"" + new string('f', 201) + "\"}", "at most 200" },
        { "/api/alerts", "{\"status\": \"firing\", \"labels\": {\"a\": \"" + new string('x', 2001) + "\"}}", "at most 2000" },
        { "/api/alerts", "[1, 2, 3]", "not valid JSON" },
        { "/api/alerts/zabbix", "{\"eventId\": \"1\", \"value\": \"7\", \"name\": \"x\"}", "value must be" },
        { "/api/alerts/zabbix", "{\"eventId\": \"1\", \"value\": \"1\", \"name\": \"x\", \"date\": \"01/05/2026\", \"time\": \"10:00\"}", "yyyy.MM.dd" },
        { "/api/alerts/zabbix", "{\"eventId\": \"1\", \"value\": \"1\", \"name\": \"x\", \"utcOffset\": \"CET\"}", "utcOffset" },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_is_a_400_naming_the_problem_and_changes_nothing(string path, string body, string expected)
    {
        using var response = await admin.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Contains(expected, text, StringComparison.Ordinal);
        var log = await (await admin.GetAsync("/api/alerts")).JsonAsync();
        Assert.Empty(log["items"]!.AsArray());
    }

    [Fact]
    public async Task Too_many_alerts_or_labels_and_oversized_bodies_are_refused()
    {
        var tooMany = new JsonObject { ["alerts"] = new JsonArray(Enumerable.Range(0, 1001).Select(i => (JsonNode)new JsonObject { ["status"] = "firing", ["labels"] = new JsonObject { ["i"] = $"{i}" } }).ToArray()) };
        using var many = await admin.PostAsync("/api/alerts/alertmanager", Json(tooMany.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        Assert.Contains("at most 1000", await many.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var labels = new JsonObject();
        for (var i = 0; i < 65; i++) labels[$"l{i}"] = "v";
        using var wide = await admin.PostAsync("/api/alerts", Json(new JsonObject { ["status"] = "firing", ["labels"] = labels }.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, wide.StatusCode);
        Assert.Contains("at most 64", await wide.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var huge = await admin.PostAsync("/api/alerts", Json("{\"status\": \"firing\", \"labels\": {\"a\": \"" + new string('x', 1_100_000) + "\"}}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Fact]
    public async Task An_alert_source_key_may_only_send_alerts()
    {
        using var created = await admin.PostAsync("/api/keys", Json("{\"name\": \"prometheus\", \"roles\": [\"alert-source\"]}"));
        var source = server.NewClient((string)(await created.JsonAsync())["key"]!);

        await AcceptedAsync(await source.PostAsync("/api/alerts", Json("{\"status\": \"firing\", \"labels\": {\"alertname\": \"Nothing\"}}")));
        Assert.Equal(HttpStatusCode.Forbidden, (await source.GetAsync("/api/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await source.PostAsync("/api/alerts/breakers/disk-full/reset", Json("{}"))).StatusCode);
        Assert.Equal(Roles.AlertSource, "alert-source");
    }

    [Fact]
    public async Task Breakers_list_each_alert_process_and_reset_answers_404_for_others()
    {
        var breakers = (await (await admin.GetAsync("/api/alerts/breakers")).JsonAsync()).AsArray();
        Assert.Equal(["disk-full", "grafana-blue", "zabbix-cpu"], breakers.Select(b => (string)b!["processKey"]!));
        Assert.All(breakers, b => Assert.Equal("closed", (string?)b!["state"]));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/alerts/breakers/disk-full/reset", null)).StatusCode);
        using var unknown = await admin.PostAsync("/api/alerts/breakers/no-such-process/reset", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no alert rule", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
