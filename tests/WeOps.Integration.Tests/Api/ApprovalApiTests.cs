using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static WeOps.Integration.Tests.Api.WeOpsApi;

namespace WeOps.Integration.Tests.Api;

/// <summary>Approvals on PostgreSQL, where the instance row lock is what serialises approvers deciding at once.</summary>
public sealed class ApprovalApiTests(ServerOnPostgres server) : IClassFixture<ServerOnPostgres>
{
    private const string Process = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="pg-approval" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
            <bpmn:userTask id="approve"><bpmn:extensionElements><ops:approval approvers="ana, ben, group:cab" policy="all"/></bpmn:extensionElements></bpmn:userTask>
            <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="decided" />
            <bpmn:exclusiveGateway id="decided" default="no" />
            <bpmn:sequenceFlow id="yes" sourceRef="decided" targetRef="deploy"><bpmn:conditionExpression>${approval.outcome == 'approved'}</bpmn:conditionExpression></bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="no" sourceRef="decided" targetRef="refused" />
            <bpmn:userTask id="deploy" />
            <bpmn:sequenceFlow id="f3" sourceRef="deploy" targetRef="done" />
            <bpmn:endEvent id="done" />
            <bpmn:endEvent id="refused" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task Approvers_deciding_at_once_each_decide_once_and_the_process_continues_once()
    {
        var clients = new Dictionary<string, HttpClient>();
        foreach (var (name, groups) in new[] { ("ana", Array.Empty<string>()), ("ben", []), ("cal", ["cab"]), ("cy", ["cab"]) })
        {
            (await server.Admin.PostAsJsonAsync("/api/users", new { username = name, groups })).EnsureSuccessStatusCode();
            using var key = await server.Admin.PostAsJsonAsync("/api/keys", new { name, roles = new[] { "approver" }, user = name });
            clients[name] = server.NewClient((string)(await key.JsonAsync(HttpStatusCode.Created))["key"]!);
        }

        var (key0, _) = await server.Admin.DeployAsync(Process);
        var id = (string)(await server.Admin.StartAsync(key0))["id"]!;
        var task = (long)(await server.Admin.WaitForOpenTaskAsync(id))["id"]!;

        // Five tries by each person at once; cal and cy both speak for cab.
        var attempts = clients.SelectMany(c => Enumerable.Range(0, 5).Select(_ => c))
            .Select(async c =>
            {
                using var response = await c.Value.PostAsJsonAsync($"/api/tasks/{task}/decision", new { decision = "approve" });
                return (c.Key, response.StatusCode);
            }).ToList();
        var results = await Task.WhenAll(attempts);

        Assert.Equal(3, results.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK && r.Key == "ana");
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK && r.Key == "ben");
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK && r.Key is "cal" or "cy");

        var deploy = await server.Admin.WaitForOpenTaskAsync(id);
        Assert.Equal("deploy", (string?)deploy["elementId"]);
        var instance = await server.Admin.InstanceAsync(id);
        Assert.Equal("approved", (string?)instance["variables"]!["approval"]!["outcome"]);
        Assert.Equal(3, instance["variables"]!["approval"]!["decisions"]!.AsArray().Count);
        Assert.Equal(3, instance["events"]!.AsArray().Count(e => (string?)e!["kind"] == "ApprovalDecided"));
        Assert.Single(instance["history"]!.AsArray(), s => (string?)s!["elementId"] == "deploy");
    }
}
