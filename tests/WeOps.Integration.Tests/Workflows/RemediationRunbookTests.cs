using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WeOps.Activities.Tests.Email;
using WeOps.Activities.Tests.Kubernetes;
using WeOps.Integration.Tests.Api;

namespace WeOps.Integration.Tests.Workflows;

/// <summary>The runbooks in workflows/remediation/ started by Alertmanager (webhook v4) alerts: SSH steps on the test
/// sshd (inventory host web-1, named by the alert's instance label), Kubernetes steps on the emulation (namespace
/// prod), mail to the test SMTP server, and the incident ticket each run keeps.</summary>
public sealed class RemediationRunbookTests(WorkflowServer server) : IClassFixture<WorkflowServer>
{
    private const string Instance = "web-1:9100";

    [Fact]
    public async Task Disk_cleanup_deletes_old_files_and_closes_the_incident_when_the_usage_is_below_the_target()
    {
        var folder = Directory.CreateTempSubdirectory("weops-disk-full-");
        try
        {
            var old = Path.Combine(folder.FullName, "app.log.1");
            var fresh = Path.Combine(folder.FullName, "app.log");
            await File.WriteAllTextAsync(old, "rotated");
            await File.WriteAllTextAsync(fresh, "current");
            File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-10));
            // The test host is this machine: the runbook cleans the test's folder, not root's /tmp.
            await AdaptAsync("disk-full", ("cleanupPaths", $"['{folder.FullName}']"), ("targetUsagePercent", "100"));

            var id = await FireAsync("DiskAlmostFull", new() { ["instance"] = Instance, ["mountpoint"] = folder.FullName, ["severity"] = "warning" });
            var instance = await server.WaitForStatusAsync(id, "completed");

            Assert.False(File.Exists(old));
            Assert.True(File.Exists(fresh));
            var passed = WorkflowServer.Passed(instance);
            Assert.Equal("fixed", passed[^1]);
            Assert.Contains("verify", passed);
            Assert.DoesNotContain("handOver", passed);
            Assert.Equal(1, (int)instance["variables"]!["removedFiles"]!);
            Assert.True((bool)instance["variables"]!["verified"]!);
            Assert.Equal("web-1", (string?)instance["variables"]!["host"]);

            var ticket = await IncidentOfAsync(instance);
            Assert.Equal("closed", State(ticket));
            Assert.Equal(["assigned", "inProgress", "resolved", "closed"], Moves(ticket));
            Assert.Equal(["web-1"], ticket["ticket"]!["affected"]!["hosts"].Strings());
            Assert.Contains(Comments(ticket), c => c.Contains($"deleted 1 file(s) older than 7 days from {folder.FullName} on web-1", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Disk_still_above_the_target_after_cleanup_leaves_the_incident_open_for_the_service_desk()
    {
        var folder = Directory.CreateTempSubdirectory("weops-disk-full-");
        try
        {
            // No filesystem is below 0 % used: the check after the cleanup fails.
            await AdaptAsync("disk-full", ("cleanupPaths", $"['{folder.FullName}']"), ("targetUsagePercent", "0"));

            var id = await FireAsync("NodeFilesystemAlmostOutOfSpace", new() { ["instance"] = Instance, ["mountpoint"] = folder.FullName, ["severity"] = "warning" });
            var instance = await server.WaitForStatusAsync(id, "completed");

            var passed = WorkflowServer.Passed(instance);
            Assert.Equal(["verify", "enough", "handOver", "raiseUrgency", "incidentOpen"], passed.SkipWhile(e => e != "verify"));
            Assert.False((bool)instance["variables"]!["verified"]!);
            var ticket = await IncidentOfAsync(instance);
            Assert.Equal("new", State(ticket));
            Assert.Empty(Moves(ticket));
            Assert.Equal("high", (string?)ticket["ticket"]!["urgency"]);
            Assert.Equal("P2", (string?)ticket["ticket"]!["priority"]);
            Assert.Equal("service-desk", (string?)ticket["ticket"]!["group"]);
            var usage = (int)instance["variables"]!["usageAfter"]!;
            Assert.Contains(Comments(ticket), c => c.Contains($"is {usage}% used, not below 0%: it needs a person", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Service_restart_then_resolved_alert_closes_the_incident()
    {
        await AdaptRestartAsync();
        var (id, fingerprint) = await FireWithFingerprintAsync("ServiceDown", new() { ["instance"] = Instance, ["service"] = "nginx", ["severity"] = "critical" });
        await WaitUntilActiveAsync(id, "waitForRecovery");

        await server.PostAlertsAsync(Alertmanager("ServiceDown", fingerprint, new() { ["instance"] = Instance, ["service"] = "nginx", ["severity"] = "critical" }, resolved: true));
        var instance = await server.WaitForStatusAsync(id, "completed");

        var passed = WorkflowServer.Passed(instance);
        Assert.Equal(["restart", "recordRestart", "waitForRecovery", "resolved", "closeIncident", "recovered"], passed.SkipWhile(e => e != "restart").Distinct());
        Assert.Equal("resolved", (string?)instance["variables"]!["alert"]!["status"]);
        Assert.Equal("restarted nginx", (string?)instance["variables"]!["restartOutput"]);
        var ticket = await IncidentOfAsync(instance);
        Assert.Equal("closed", State(ticket));
        Assert.Equal(["assigned", "inProgress", "resolved", "closed"], Moves(ticket));
        Assert.Equal(["nginx"], ticket["ticket"]!["affected"]!["services"].Strings());
        Assert.Contains(Comments(ticket), c => c.StartsWith("Runbook service-down restarted nginx on web-1 (restarted nginx)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Service_that_does_not_recover_within_the_timeout_is_handed_to_the_service_desk()
    {
        await AdaptRestartAsync();
        var id = await FireAsync("ServiceDown", new() { ["host"] = "web-1", ["service"] = "billing-worker", ["severity"] = "warning" });
        await WaitUntilActiveAsync(id, "waitForRecovery");

        server.Advance(TimeSpan.FromMinutes(10));
        var instance = await server.WaitForStatusAsync(id, "completed");

        var passed = WorkflowServer.Passed(instance);
        Assert.Equal(["waitForRecovery", "noRecovery", "handOver", "raiseUrgency", "incidentOpen"], passed.SkipWhile(e => e != "waitForRecovery"));
        var ticket = await IncidentOfAsync(instance);
        Assert.Equal("new", State(ticket));
        Assert.Equal("high", (string?)ticket["ticket"]!["urgency"]);
        Assert.Contains(Comments(ticket), c => c == "billing-worker on web-1 did not recover within PT10M of the restart: it needs a person.");
    }

    [Fact]
    public async Task Crash_loop_in_production_waits_for_approval_then_restarts_the_deployment()
    {
        var deployment = SeedDeployment("checkout", WorkflowServer.Namespace);
        var labels = new Dictionary<string, string> { ["namespace"] = WorkflowServer.Namespace, ["deployment"] = deployment, ["pod"] = deployment + "-5d8f7c9b6-x2x9z", ["severity"] = "critical" };
        var (id, fingerprint) = await FireWithFingerprintAsync("KubePodCrashLooping", labels);

        var approval = await server.WaitForTaskAsync(id, "approveRestart");
        Assert.Null(RestartedAt(deployment, WorkflowServer.Namespace));
        Assert.DoesNotContain(server.Kube.Writes, w => w.Path.EndsWith("/deployments/" + deployment, StringComparison.Ordinal));
        Assert.Contains("group:service-desk", approval.ToJsonString(), StringComparison.Ordinal);

        await server.DecideAsync(id, "approveRestart", "olga", "approve", "Go ahead.");
        await WaitUntilActiveAsync(id, "waitForRecovery");
        var restartedAt = RestartedAt(deployment, WorkflowServer.Namespace);
        Assert.NotNull(restartedAt);

        await server.PostAlertsAsync(Alertmanager("KubePodCrashLooping", fingerprint, labels, resolved: true));
        var instance = await server.WaitForStatusAsync(id, "completed");

        Assert.Equal(restartedAt, (string?)instance["variables"]!["restartedAt"]);
        var passed = WorkflowServer.Passed(instance);
        Assert.Equal(["inProduction", "approveRestart", "approved", "restart"], passed.SkipWhile(e => e != "inProduction").Take(4));
        Assert.Equal("recovered", passed[^1]);
        var ticket = await IncidentOfAsync(instance);
        Assert.Equal("closed", State(ticket));
        Assert.Contains(Comments(ticket), c => c.Contains($"restarted {WorkflowServer.Namespace}/{deployment} at {restartedAt} (approved by olga)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Crash_loop_outside_production_restarts_without_approval_and_no_recovery_hands_it_over()
    {
        var deployment = SeedDeployment("catalog", "staging");
        // Only the pod is named: its Deployment is the pod's name without the two generated suffixes.
        var id = await FireAsync("KubePodCrashLooping", new() { ["namespace"] = "staging", ["pod"] = deployment + "-7c9b6d5f8-q2w3e", ["severity"] = "warning" });

        await WaitUntilActiveAsync(id, "waitForRecovery");
        Assert.NotNull(RestartedAt(deployment, "staging"));
        server.Advance(TimeSpan.FromMinutes(15));
        var instance = await server.WaitForStatusAsync(id, "completed");

        var passed = WorkflowServer.Passed(instance);
        Assert.DoesNotContain("approveRestart", passed);
        Assert.Equal(["noRecovery", "handOver", "raiseUrgency", "incidentOpen"], passed.SkipWhile(e => e != "noRecovery"));
        Assert.Equal(deployment, (string?)instance["variables"]!["deployment"]);
        var ticket = await IncidentOfAsync(instance);
        Assert.Equal("new", State(ticket));
        Assert.Contains(Comments(ticket), c => c == $"staging/{deployment} did not recover within PT15M of the restart: it needs a person.");
    }

    [Fact]
    public async Task Rejected_restart_in_production_changes_nothing_and_hands_the_incident_over()
    {
        var deployment = SeedDeployment("payments", WorkflowServer.Namespace);
        var id = await FireAsync("KubePodCrashLooping", new() { ["namespace"] = WorkflowServer.Namespace, ["deployment"] = deployment });

        await server.DecideAsync(id, "approveRestart", "oscar", "reject", "Not during the sale.");
        var instance = await server.WaitForStatusAsync(id, "completed");

        Assert.DoesNotContain("restart", WorkflowServer.Passed(instance));
        Assert.Equal("incidentOpen", WorkflowServer.Passed(instance)[^1]);
        Assert.Null(RestartedAt(deployment, WorkflowServer.Namespace));
        var ticket = await IncidentOfAsync(instance);
        Assert.Equal("new", State(ticket));
        Assert.Contains(Comments(ticket), c => c == $"The restart of {WorkflowServer.Namespace}/{deployment} was not approved: it needs a person.");
    }

    [Fact]
    public async Task High_cpu_scales_within_its_maximum_and_does_not_exceed_it()
    {
        var deployment = SeedDeployment("api", WorkflowServer.Namespace, replicas: 9);
        var labels = new Dictionary<string, string> { ["namespace"] = WorkflowServer.Namespace, ["deployment"] = deployment, ["severity"] = "warning" };

        // 9 replicas, scaleStep 2, maxReplicas 10: one more, not two.
        var first = await server.WaitForStatusAsync(await FireAsync("HighCpu", labels), "completed");

        Assert.Equal(10, Replicas(deployment));
        Assert.Equal("scaled", WorkflowServer.Passed(first)[^1]);
        Assert.Equal((9, 10), ((int)first["variables"]!["previousReplicas"]!, (int)first["variables"]!["replicas"]!));
        var scaledTicket = await IncidentOfAsync(first);
        Assert.Equal("closed", State(scaledTicket));
        Assert.Contains(Comments(scaledTicket), c => c == $"Runbook high-cpu scaled prod/{deployment} from 9 to 10 replicas (at most 10).");
        var scaledMail = await TestSmtpServer.WaitForAsync($"scaled prod/{deployment} to 10 replicas", WorkflowServer.Patience);
        Assert.Contains("ops-oncall@example.com", scaledMail.AddressesIn("To"));

        // Still hot at the maximum: nothing is written, and a person takes over.
        var second = await server.WaitForStatusAsync(await FireAsync("HighCpu", labels), "completed");

        Assert.Equal(10, Replicas(deployment));
        Assert.Single(server.Kube.Writes, w => w.Path.EndsWith($"/deployments/{deployment}/scale", StringComparison.Ordinal));
        Assert.Equal(["scaleUp", "scaledUp", "handOver", "raiseUrgency", "notifyHandedOver", "incidentOpen"], WorkflowServer.Passed(second).SkipWhile(e => e != "scaleUp"));
        var openTicket = await IncidentOfAsync(second);
        Assert.Equal("new", State(openTicket));
        Assert.Equal("high", (string?)openTicket["ticket"]!["urgency"]);
        Assert.Contains(Comments(openTicket), c => c.Contains("at or above the maximum of 10", StringComparison.Ordinal));
        await TestSmtpServer.WaitForAsync($"prod/{deployment} needs a person", WorkflowServer.Patience);
    }

    /// <summary>Saves and publishes a version of a shipped runbook with some settings changed in its settings script,
    /// as a manager would in the designer; alerts start the latest version.</summary>
    private async Task AdaptAsync(string key, params (string Setting, string Value)[] settings)
    {
        var xml = await File.ReadAllTextAsync(Path.Combine(WorkflowServer.RepositoryRoot, "workflows", "remediation", key + ".bpmn"));
        foreach (var (setting, value) in settings)
        {
            var line = new Regex($@"^(\s*){Regex.Escape(setting)} = .*;$", RegexOptions.Multiline);
            Assert.Single(line.Matches(xml));
            xml = line.Replace(xml, m => $"{m.Groups[1].Value}{setting} = {System.Security.SecurityElement.Escape(value)};");
        }

        await server.Admin.DeployAsync(xml);
    }

    /// <summary>No systemd runs on the test host: the restart prints what it would restart instead.</summary>
    private Task AdaptRestartAsync() => AdaptAsync("service-down", ("restartCommand", """'printf "restarted %s\\n"'"""));

    private async Task<string> FireAsync(string alertname, Dictionary<string, string> labels) =>
        (await FireWithFingerprintAsync(alertname, labels)).Id;

    private async Task<(string Id, string Fingerprint)> FireWithFingerprintAsync(string alertname, Dictionary<string, string> labels)
    {
        var fingerprint = Guid.NewGuid().ToString("N")[..16];
        var answer = await server.PostAlertsAsync(Alertmanager(alertname, fingerprint, labels, resolved: false));
        var started = answer["started"]!.AsArray();
        Assert.True(started.Count == 1, $"{alertname} should start one runbook: {answer.ToJsonString()}");
        return ((string)started[0]!, fingerprint);
    }

    /// <summary>An Alertmanager webhook (version 4) with one alert.</summary>
    private object Alertmanager(string alertname, string fingerprint, Dictionary<string, string> labels, bool resolved)
    {
        var now = server.Clock.GetUtcNow();
        var all = new Dictionary<string, string>(labels) { ["alertname"] = alertname };
        var status = resolved ? "resolved" : "firing";
        return new
        {
            version = "4",
            groupKey = $"{{}}:{{alertname=\"{alertname}\"}}",
            truncatedAlerts = 0,
            status,
            receiver = "weops",
            groupLabels = new Dictionary<string, string> { ["alertname"] = alertname },
            commonLabels = all,
            commonAnnotations = new Dictionary<string, string>(),
            externalURL = "http://alertmanager.example.com:9093",
            alerts = new[]
            {
                new
                {
                    status,
                    labels = all,
                    annotations = new Dictionary<string, string> { ["summary"] = $"{alertname} on {string.Join(", ", labels.Values)}" },
                    startsAt = now.AddMinutes(-5).ToString("O"),
                    endsAt = resolved ? now.ToString("O") : "0001-01-01T00:00:00Z",
                    generatorURL = "http://prometheus.example.com:9090/graph",
                    fingerprint,
                },
            },
        };
    }

    private async Task WaitUntilActiveAsync(string id, string elementId)
    {
        var instance = await WorkflowServer.EventuallyAsync($"{id} waiting at {elementId}", () => server.InstanceAsync(id),
            i => i["active"]!.AsArray().Any(a => (string?)a == elementId) || (string?)i["status"] is "faulted" or "completed" or "failed");
        Assert.True(instance["active"]!.AsArray().Any(a => (string?)a == elementId), instance.ToJsonString());
    }

    private string SeedDeployment(string prefix, string ns, int replicas = 2)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..6];
        server.Kube.Seed(Seeds.Deployment(name, replicas, ns));
        return name;
    }

    private string? RestartedAt(string deployment, string ns) =>
        (string?)server.Kube.Get("Deployment", ns, deployment)!["spec"]!["template"]!["metadata"]!["annotations"]?["kubectl.kubernetes.io/restartedAt"];

    private int Replicas(string deployment) =>
        (int)server.Kube.Get("Deployment", WorkflowServer.Namespace, deployment)!["spec"]!["replicas"]!;

    private async Task<JsonNode> IncidentOfAsync(JsonNode instance)
    {
        var number = (string)instance["variables"]!["ticket"]!;
        Assert.StartsWith("INC-", number, StringComparison.Ordinal);
        var ticket = await server.TicketAsync(number);
        Assert.Equal((string?)instance["id"], (string?)ticket["ticket"]!["instanceId"]);
        return ticket;
    }

    private static string? State(JsonNode ticket) => (string?)ticket["ticket"]!["state"];

    private static List<string> Comments(JsonNode ticket) => [.. ticket["comments"]!.AsArray().Select(c => (string)c!["text"]!)];

    private static List<string> Moves(JsonNode ticket) =>
        [.. ticket["timeline"]!.AsArray().Where(e => (string?)e!["kind"] == "transition").Select(e => (string)e!["detail"]!["to"]!)];
}
