using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using WeOps.Server;
using WeOps.Server.Tests;

namespace WeOps.Integration.Tests.Api;

/// <summary>Two servers, started in this process the way the command line starts them, on one PostgreSQL database
/// of their own: what one node remembers of signed deliveries and failed sign-ins, the other knows.</summary>
public sealed class TwoNodesOnPostgres : IAsyncLifetime
{
    public const string AdminKey = "integration-admin-key-0123456789abcdef";
    public static readonly TimeSpan Lockout = TimeSpan.FromSeconds(2);

    private readonly PostgresDatabase database = new();
    private readonly string folder = Path.Combine(Path.GetTempPath(), "weops-tests", Guid.NewGuid().ToString("N"));
    private readonly List<WebApplication> apps = [];

    public Uri A { get; private set; } = null!;
    public Uri B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        var workflows = Directory.CreateDirectory(Path.Combine(folder, "workflows")).FullName;
        A = await StartAsync(workflows);
        B = await StartAsync(workflows);
    }

    private async Task<Uri> StartAsync(string workflows)
    {
        var app = WeOpsServer.Create(
        [
            "--urls", "http://127.0.0.1:0",
            "--environment", "Testing",
            "--contentRoot", AppContext.BaseDirectory,
            "--Database:Provider=Postgres",
            $"--ConnectionStrings:WeOps={database.ConnectionString}",
            $"--Credentials:MasterKey={Cluster.TestCluster.MasterKey}",
            $"--Auth:AdminApiKey={AdminKey}",
            $"--Workflows:Path={workflows}",
            $"--SignIn:Lockout={Lockout:c}",
            "--Serilog:MinimumLevel:Default=Warning",
        ]);
        apps.Add(app);
        await app.StartAsync();
        return new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
    }

    public async Task DisposeAsync()
    {
        foreach (var app in apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await database.DisposeAsync();
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}

public sealed class SignedHooksAndSignInAcrossNodesTests(TwoNodesOnPostgres nodes) : IClassFixture<TwoNodesOnPostgres>, IDisposable
{
    private const string Secret = "hook-signing-secret-on-postgres";
    private const string Body = """{"ref": "main"}""";
    private const string Password = "correct horse battery staple";
    private readonly List<HttpClient> clients = [];

    public void Dispose() => clients.ForEach(c => c.Dispose());

    private HttpClient Client(Uri node, string? key = TwoNodesOnPostgres.AdminKey)
    {
        var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        clients.Add(client);
        return client;
    }

    private static string Sign(long timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    /// <summary>A credential and a published process answering a signed hook, made through node A.</summary>
    private async Task<string> SignedHookAsync()
    {
        var admin = Client(nodes.A);
        var key = "signed-" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await admin.PutAsJsonAsync($"/api/credentials/{key}", new { kind = "webhook", values = new { secret = Secret } }))
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var xml = $$"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
              <bpmn:process id="{{key}}" isExecutable="true">
                <bpmn:startEvent id="start"><bpmn:extensionElements><ops:http path="{{key}}" auth="hmac" secretCredential="{{key}}"/></bpmn:extensionElements></bpmn:startEvent>
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" /><bpmn:endEvent id="end" />
              </bpmn:process>
            </bpmn:definitions>
            """;
        using (var saved = await admin.SaveDraftAsync(xml))
            await saved.JsonAsync(HttpStatusCode.OK);
        using (var published = await admin.PostAsJsonAsync($"/api/definitions/{key}/publish", new { }))
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        return key;
    }

    private async Task<HttpResponseMessage> DeliverAsync(Uri node, string key, string signature, long timestamp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{key}") { Content = WeOpsApi.Body(Body, "application/json") };
        request.Headers.Add("X-WeOps-Signature", signature);
        request.Headers.Add("X-WeOps-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await Client(node, null).SendAsync(request);
    }

    private async Task<int> InstanceCountAsync(string key)
    {
        using var response = await Client(nodes.B).GetAsync($"/api/instances?definitionKey={key}");
        var json = await response.JsonAsync(HttpStatusCode.OK);
        return (json as JsonArray ?? json["items"]!.AsArray()).Count;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string phrase)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Contains(phrase, (string?)JsonNode.Parse(text)!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_accepted_by_one_node_is_refused_by_the_other_and_starts_one_instance()
    {
        var key = await SignedHookAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = Sign(now, Body);

        using var atA = await DeliverAsync(nodes.A, key, signature, now);
        using var atB = await DeliverAsync(nodes.B, key, signature, now);
        using var againAtA = await DeliverAsync(nodes.A, key, signature, now);

        Assert.Equal(HttpStatusCode.Accepted, atA.StatusCode);
        await AssertProblemAsync(atB, HttpStatusCode.Conflict, "accepted before");
        await AssertProblemAsync(againAtA, HttpStatusCode.Conflict, "accepted before");
        Assert.Equal(1, await InstanceCountAsync(key));
    }

    [Fact]
    public async Task Two_nodes_given_the_same_delivery_at_once_start_one_instance()
    {
        var key = await SignedHookAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = Sign(now, Body);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => DeliverAsync(i % 2 == 0 ? nodes.A : nodes.B, key, signature, now)));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await InstanceCountAsync(key));
        foreach (var answer in answers) answer.Dispose();
    }

    [Fact]
    public async Task A_delivery_signed_six_minutes_ago_is_409_and_an_altered_timestamp_is_401()
    {
        var key = await SignedHookAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var old = await DeliverAsync(nodes.A, key, Sign(now - 360, Body), now - 360);
        using var altered = await DeliverAsync(nodes.B, key, Sign(now - 360, Body), now);

        await AssertProblemAsync(old, HttpStatusCode.Conflict, "s old");
        await AssertProblemAsync(altered, HttpStatusCode.Unauthorized, "<timestamp>.<body>");
        Assert.Equal(0, await InstanceCountAsync(key));
    }

    [Fact]
    public async Task Wrong_passwords_sent_to_either_node_lock_the_user_out_on_both_and_both_read_the_audit_log()
    {
        var username = "u" + Guid.NewGuid().ToString("N")[..8];
        var admin = Client(nodes.A);
        using (var created = await admin.PostAsJsonAsync("/api/users", new { username, roles = new[] { "operator" } }))
            await created.JsonAsync(HttpStatusCode.Created);
        using (var set = await admin.PutAsJsonAsync($"/api/users/{username}/password", new { password = Password }))
            Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        var address = LoopbackClients.NewAddress();
        var fromA = LoopbackClients.From(address, nodes.A);
        var fromB = LoopbackClients.From(address, nodes.B);
        clients.AddRange([fromA, fromB]);

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await (i % 2 == 0 ? fromA : fromB).PostAsJsonAsync("/api/session", new { username, password = "wrong " + i });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        foreach (var node in new[] { fromA, fromB })
        {
            using var refused = await node.PostAsJsonAsync("/api/session", new { username, password = Password });
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, TwoNodesOnPostgres.Lockout.TotalSeconds);
        }

        await Task.Delay(TwoNodesOnPostgres.Lockout + TimeSpan.FromMilliseconds(300));
        using (var signedIn = await fromB.PostAsJsonAsync("/api/session", new { username, password = Password }))
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);

        using var audit = await Client(nodes.B).GetAsync($"/api/audit?actor={username}");
        var actions = (await audit.JsonAsync(HttpStatusCode.OK))["items"]!.AsArray().Select(i => (string)i!["action"]!).ToList();
        Assert.Equal(["sign-in.succeeded", "sign-in.throttled", "sign-in.throttled"], actions.Take(3));
        Assert.Equal(5, actions.Count(a => a == "sign-in.failed"));
        Assert.Equal(2, actions.Count(a => a == "sign-in.locked"));
    }
}
