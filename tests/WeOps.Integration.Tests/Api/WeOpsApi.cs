using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WeOps.Integration.Tests.Api;

/// <summary>The calls the API tests make, as the tests read them: BPMN fixtures in, JSON out, and waits
/// that poll the API until a deadline instead of sleeping.</summary>
internal static partial class WeOpsApi
{
    /// <summary>How long a test waits for the workers to move an instance before it fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>A BPMN file from Api/Fixtures; <paramref name="key"/> renames its (first) process, for a test
    /// that needs a process no other test of its class touches.</summary>
    public static string Bpmn(string name, string? key = null)
    {
        var xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Api", "Fixtures", name + ".bpmn"));
        return key is null ? xml : ProcessId().Replace(xml, $"<bpmn:process id=\"{key}\"", 1);
    }

    [GeneratedRegex("<bpmn:process id=\"[^\"]*\"")]
    private static partial Regex ProcessId();

    public static ByteArrayContent Body(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    public static ByteArrayContent Body(string text, string mediaType) => Body(Encoding.UTF8.GetBytes(text), mediaType);

    public static Task<HttpResponseMessage> SaveDraftAsync(this HttpClient client, string xml) =>
        client.PostAsync("/api/definitions", Body(xml, "application/xml"));

    public static Task<HttpResponseMessage> PublishAsync(this HttpClient client, string key) =>
        client.PostAsJsonAsync($"/api/definitions/{key}/publish", new { note = "integration test" });

    /// <summary>Saves and publishes a process that must be valid; returns its key and version.</summary>
    public static async Task<(string Key, int Version)> DeployAsync(this HttpClient client, string xml)
    {
        using var saved = await client.SaveDraftAsync(xml);
        var key = (string)(await saved.JsonAsync(HttpStatusCode.OK))["key"]!;
        using var published = await client.PublishAsync(key);
        if (published.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
            Assert.Fail($"Publishing {key}: {(int)published.StatusCode} {await published.Content.ReadAsStringAsync()}");
        return (key, (int)(await published.JsonAsync())["version"]!);
    }

    /// <summary>Starts an instance that must start; returns the instance as the 201 shows it.</summary>
    public static async Task<JsonNode> StartAsync(this HttpClient client, string key, JsonObject? variables = null, string? businessKey = null)
    {
        using var response = await client.PostAsJsonAsync("/api/instances", new { definitionKey = key, variables, businessKey });
        return await response.JsonAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonNode> InstanceAsync(this HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/api/instances/{id}");
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    public static async Task<JsonArray> InstancesAsync(this HttpClient client, string query = "")
    {
        using var response = await client.GetAsync($"/api/instances?limit=1000{(query.Length == 0 ? "" : "&" + query)}");
        return (await response.JsonAsync(HttpStatusCode.OK)).AsArray();
    }

    public static async Task<JsonArray> TasksAsync(this HttpClient client, string instanceId, string state = "open")
    {
        using var response = await client.GetAsync($"/api/tasks?instanceId={instanceId}&state={state}");
        return (await response.JsonAsync(HttpStatusCode.OK)).AsArray();
    }

    public static Task<HttpResponseMessage> CompleteTaskAsync(this HttpClient client, long taskId, object body) =>
        client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", body);

    /// <summary>Polls the instance until its status is <paramref name="status"/>; fails with the last view
    /// when <see cref="Patience"/> runs out, or at once when the instance reaches another final status.</summary>
    public static async Task<JsonNode> WaitForStatusAsync(this HttpClient client, string id, string status, TimeSpan? within = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var instance = await client.InstanceAsync(id);
            var now = (string)instance["status"]!;
            if (now == status) return instance;
            if (now is "completed" or "cancelled" or "failed" || deadline.Elapsed > (within ?? Patience))
                Assert.Fail($"Instance {id} is {now}, not {status}, after {deadline.Elapsed.TotalSeconds:0.0} s: {instance.ToJsonString()}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>Polls until the instance has an open task; returns that task.</summary>
    public static async Task<JsonNode> WaitForOpenTaskAsync(this HttpClient client, string instanceId)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var tasks = await client.TasksAsync(instanceId);
            if (tasks.Count > 0) return Assert.Single(tasks)!;
            if (deadline.Elapsed > Patience)
                Assert.Fail($"Instance {instanceId} has no open task after {deadline.Elapsed.TotalSeconds:0.0} s: {(await client.InstanceAsync(instanceId)).ToJsonString()}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>The body as JSON; with <paramref name="expected"/>, fails first (showing the body) when the
    /// status is another.</summary>
    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response, HttpStatusCode? expected = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (expected is { } status && response.StatusCode != status)
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"{(int)response.StatusCode}: the body is JSON null.");
    }

    /// <summary>A problem answer (RFC 9457) with <paramref name="status"/>.</summary>
    public static async Task<JsonNode> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await response.JsonAsync(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, (int?)problem["status"]);
        return problem;
    }

    public static List<string> Strings(this JsonNode? array) => array!.AsArray().Select(n => (string)n!).ToList();
}
