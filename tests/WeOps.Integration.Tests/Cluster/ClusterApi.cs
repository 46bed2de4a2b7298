using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace WeOps.Integration.Tests.Cluster;

/// <summary>The API calls the cluster tests make against any node.</summary>
internal static class ClusterApi
{
    /// <summary>A BPMN file from Cluster/Fixtures.</summary>
    public static string Bpmn(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cluster", "Fixtures", name + ".bpmn"));

    /// <summary>Saves and publishes a valid process; returns its key.</summary>
    public static async Task<string> DeployAsync(this HttpClient client, string xml)
    {
        using var saved = await client.PostAsync("/api/definitions", new StringContent(xml, Encoding.UTF8, "application/xml"));
        var key = (string)(await saved.JsonAsync(HttpStatusCode.OK))["key"]!;
        using var published = await client.PostAsJsonAsync($"/api/definitions/{key}/publish", new { note = "cluster test" });
        if (published.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
            throw new InvalidOperationException($"Publishing {key}: {(int)published.StatusCode} {await published.Content.ReadAsStringAsync()}");
        return key;
    }

    /// <summary>Starts <paramref name="count"/> instances, a few requests at a time; returns their ids.</summary>
    public static async Task<List<string>> StartManyAsync(this HttpClient client, string key, int count)
    {
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            using var response = await client.PostAsJsonAsync("/api/instances", new { definitionKey = key, variables = new { n = i } });
            ids[i] = (string)(await response.JsonAsync(HttpStatusCode.Created))["id"]!;
        });
        return [.. ids];
    }

    public static async Task<JsonObject> InstanceAsync(this HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/api/instances/{id}");
        return (await response.JsonAsync(HttpStatusCode.OK)).AsObject();
    }

    /// <summary>Every instance, as <c>GET /api/instances</c> lists them (at most 1000).</summary>
    public static async Task<JsonArray> InstancesAsync(this HttpClient client, string key, string? status = null)
    {
        using var response = await client.GetAsync($"/api/instances?limit=1000&definitionKey={key}{(status is null ? "" : "&status=" + status)}");
        return (await response.JsonAsync(HttpStatusCode.OK)).AsArray();
    }

    public static async Task<JsonArray> OpenTasksAsync(this HttpClient client, string? instanceId = null)
    {
        using var response = await client.GetAsync($"/api/tasks?state=open{(instanceId is null ? "" : "&instanceId=" + instanceId)}");
        return (await response.JsonAsync(HttpStatusCode.OK)).AsArray();
    }

    public static async Task CompleteTaskAsync(this HttpClient client, long taskId)
    {
        using var response = await client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "approved" });
        await response.JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>The history lines (one per element visit) of an instance for one element.</summary>
    public static List<JsonObject> Steps(this JsonObject instance, string elementId) =>
        instance["history"]!.AsArray().Select(s => s!.AsObject()).Where(s => (string?)s["elementId"] == elementId).ToList();

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, not {(int)expected}: {body}");
        return JsonNode.Parse(body)!;
    }
}
