using System.Text.Json.Nodes;

namespace WeOps.Activities.Tests.Kubernetes;

/// <summary>Objects as a cluster would hold them, for seeding the emulation.</summary>
public static class Seeds
{
    public static string Deployment(string name, int replicas = 2, string ns = "default", string kind = "Deployment") => new JsonObject
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = name } },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name }, ["annotations"] = new JsonObject { ["team"] = "ops" } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = "nginx:1.27" }) },
            },
        },
    }.ToJsonString();

    public static string Pod(string name, string app, string tier = "front", string phase = "Running", bool ready = true, int restarts = 0,
        string ns = "default", string node = "node-1", params string[] containers)
    {
        var names = containers.Length == 0 ? [app] : containers;
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = app, ["tier"] = tier } },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node,
                ["containers"] = new JsonArray([.. names.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "img" })]),
            },
            ["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["podIP"] = $"10.1.0.{name.Length}",
                ["startTime"] = "2026-01-02T03:04:05Z",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
                ["containerStatuses"] = new JsonArray([.. names.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["ready"] = ready, ["restartCount"] = restarts })]),
            },
        }.ToJsonString();
    }
}
