using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WeOps.Integration.Tests.Api;

namespace WeOps.Integration.Tests.Alerts;

/// <summary>A real Prometheus Alertmanager (Debian's prometheus-alertmanager, found through
/// WEOPS_TEST_ALERTMANAGER, which scripts/services/alertmanager.sh sets) on 127.0.0.1, its webhook
/// receiver pointed at the server: alerts posted to Alertmanager start the remediation once per
/// fingerprint, and resolving them reaches the instances, which complete.</summary>
public sealed class RealAlertmanagerTests(ServerOnPostgres server) : IClassFixture<ServerOnPostgres>, IAsyncLifetime
{
    private const string Runbook = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:message id="resolved" name="alert.resolved" />
          <bpmn:process id="disk-cleanup" isExecutable="true">
            <bpmn:startEvent id="alert"><bpmn:extensionElements><ops:alert match='alertname="DiskFull", severity=~"critical|warning"' /></bpmn:extensionElements></bpmn:startEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="alert" targetRef="clean" />
            <bpmn:serviceTask id="clean"><bpmn:extensionElements><ops:task type="noop" /><ops:input name="result" value="${alert.labels.instance}" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="clean" targetRef="gate" />
            <bpmn:eventBasedGateway id="gate" />
            <bpmn:sequenceFlow id="f3" sourceRef="gate" targetRef="recovered" />
            <bpmn:sequenceFlow id="f4" sourceRef="gate" targetRef="timeout" />
            <bpmn:intermediateCatchEvent id="recovered">
              <bpmn:extensionElements><ops:subscription correlationKey="${alert.fingerprint}" /></bpmn:extensionElements>
              <bpmn:messageEventDefinition messageRef="resolved" />
            </bpmn:intermediateCatchEvent>
            <bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="f5" sourceRef="recovered" targetRef="done" />
            <bpmn:sequenceFlow id="f6" sourceRef="timeout" targetRef="gave-up" />
            <bpmn:endEvent id="done" />
            <bpmn:endEvent id="gave-up" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private readonly string folder = Path.Combine(Path.GetTempPath(), "weops-alertmanager-tests", Guid.NewGuid().ToString("N"));
    private Process? alertmanager;
    private HttpClient alertmanagerApi = null!;
    private readonly List<string> output = [];

    public async Task InitializeAsync()
    {
        var binary = Environment.GetEnvironmentVariable("WEOPS_TEST_ALERTMANAGER");
        if (string.IsNullOrWhiteSpace(binary) || !File.Exists(binary))
        {
            throw new InvalidOperationException("WEOPS_TEST_ALERTMANAGER is not set to the alertmanager program, so there is no Alertmanager to test with. " +
                "Run ./test.sh (scripts/services/alertmanager.sh installs Debian's prometheus-alertmanager and sets it), or " +
                "scripts/test-services.sh dotnet test tests/WeOps.Integration.Tests --filter FullyQualifiedName~RealAlertmanager");
        }

        Directory.CreateDirectory(folder);
        var key = (string)(await (await server.Admin.PostAsJsonAsync("/api/keys", new { name = "alertmanager", roles = new[] { "alert-source" } })).JsonAsync(HttpStatusCode.Created))["key"]!;
        var webhook = new Uri(server.Admin.BaseAddress!, "/api/alerts/alertmanager");
        await File.WriteAllTextAsync(Path.Combine(folder, "alertmanager.yml"), $"""
            route:
              receiver: weops
              group_by: ['alertname', 'instance']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: weops
                webhook_configs:
                  - url: '{webhook}'
                    send_resolved: true
                    http_config:
                      authorization:
                        credentials: '{key}'
            """);

        var port = FreePort();
        var start = new ProcessStartInfo(binary)
        {
            ArgumentList =
            {
                $"--config.file={Path.Combine(folder, "alertmanager.yml")}", $"--storage.path={Path.Combine(folder, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=info",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        alertmanager = Process.Start(start)!;
        alertmanager.OutputDataReceived += (_, e) => { lock (output) if (e.Data is not null) output.Add(e.Data); };
        alertmanager.ErrorDataReceived += (_, e) => { lock (output) if (e.Data is not null) output.Add(e.Data); };
        alertmanager.BeginOutputReadLine();
        alertmanager.BeginErrorReadLine();
        alertmanagerApi = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        await WaitUntilAsync(async () =>
        {
            try
            {
                return (await alertmanagerApi.GetAsync("/-/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "Alertmanager to be ready");
    }

    public Task DisposeAsync()
    {
        if (alertmanager is { HasExited: false })
        {
            alertmanager.Kill(entireProcessTree: true);
            alertmanager.WaitForExit(5000);
        }

        alertmanager?.Dispose();
        alertmanagerApi?.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(200);
        }

        string log;
        lock (output) log = string.Join('\n', output.TakeLast(30));
        throw new TimeoutException($"Waited {seconds} s for {what}. Alertmanager's log ends with:\n{log}");
    }

    private Task PostAlertsAsync(DateTimeOffset? endsAt, params string[] hosts) =>
        alertmanagerApi.PostAsJsonAsync("/api/v2/alerts", hosts.Select(host =>
        {
            var alert = new JsonObject
            {
                ["labels"] = new JsonObject { ["alertname"] = "DiskFull", ["severity"] = "critical", ["instance"] = host },
                ["annotations"] = new JsonObject { ["summary"] = $"disk full on {host}" },
                ["generatorURL"] = "http://prometheus.test/graph",
            };
            if (endsAt is { } ends) alert["endsAt"] = ends.ToString("O");
            return alert;
        }).ToArray()).ContinueWith(t => t.Result.EnsureSuccessStatusCode(), TaskScheduler.Default);

    private async Task<JsonArray> InstancesAsync() =>
        (await (await server.Admin.GetAsync("/api/instances?definitionKey=disk-cleanup")).JsonAsync(HttpStatusCode.OK)).AsArray();

    [Fact]
    public async Task Alerts_through_alertmanager_start_the_remediation_once_per_fingerprint_and_resolving_completes_it()
    {
        var saved = await (await server.Admin.PostAsync("/api/definitions", new StringContent(Runbook, System.Text.Encoding.UTF8, "application/xml"))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("disk-cleanup", (string?)saved["key"]);
        (await server.Admin.PostAsJsonAsync("/api/definitions/disk-cleanup/publish", new { })).EnsureSuccessStatusCode();

        await PostAlertsAsync(null, "web-1", "web-2");
        await WaitUntilAsync(async () => (await InstancesAsync()).Count == 2, "two instances started by Alertmanager's webhook");
        // Alertmanager re-sends the same alerts (posted again, as Prometheus does every evaluation).
        await PostAlertsAsync(null, "web-1", "web-2");
        await Task.Delay(3000);
        Assert.Equal(2, (await InstancesAsync()).Count);
        var log = (await (await server.Admin.GetAsync("/api/alerts?source=alertmanager&outcome=started")).JsonAsync(HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(2, log.Count);
        Assert.Equal(2, log.Select(l => (string)l!["fingerprint"]!).Distinct().Count());

        await WaitUntilAsync(async () => (await InstancesAsync()).All(i => (string?)i!["status"] == "waiting"), "both instances waiting for the resolved alert");
        await PostAlertsAsync(DateTimeOffset.UtcNow.AddMinutes(-1), "web-1", "web-2");
        await WaitUntilAsync(async () => (await InstancesAsync()).All(i => (string?)i!["status"] == "completed"), "both instances completed by alert.resolved");

        foreach (var instance in await InstancesAsync())
        {
            var detail = await (await server.Admin.GetAsync($"/api/instances/{(string)instance!["id"]!}")).JsonAsync(HttpStatusCode.OK);
            Assert.Contains(detail["history"]!.AsArray(), h => (string?)h!["elementId"] == "recovered");
            Assert.Equal("resolved", (string?)detail["variables"]!["alert"]!["status"]);
        }
    }
}
