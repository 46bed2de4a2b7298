using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using WeOps.Activities.Tests.Kubernetes;
using WeOps.Engine.Time;
using WeOps.Integration.Tests.Api;
using WeOps.Server;

namespace WeOps.Integration.Tests.Workflows;

/// <summary>The server as a first start leaves it: every file of the repository's <c>workflows/</c> published,
/// on a PostgreSQL database of its own, on a clock the tests move. Around it the real servers the shipped
/// processes talk to: the test sshd (host <c>web-1</c>), the test SMTP server, a Kubernetes API emulation
/// (credential <c>k8s-prod</c>, namespace <c>prod</c>) and an HTTP health endpoint whose answer the test sets.
/// People: rita requests; olga and oscar are the service desk, nina the network team they escalate to; carl, cora and cathy the CAB; max manages
/// changes; erin, eli and ezra are the emergency CAB; rick and rose release.</summary>
public sealed class WorkflowServer : IAsyncLifetime
{
    public const string AdminKey = "workflow-admin-key-0123456789abcdef";
    public const string Namespace = "prod";

    public static readonly IReadOnlyDictionary<string, string[]> People = new Dictionary<string, string[]>
    {
        ["rita"] = [],
        ["olga"] = ["service-desk"],
        ["oscar"] = ["service-desk"],
        ["nina"] = ["network"], // second line: incidents are escalated to her group
        ["carl"] = ["cab"],
        ["cora"] = ["cab"],
        ["cathy"] = ["cab"],
        ["max"] = ["change-managers"],
        ["erin"] = ["ecab"],
        ["eli"] = ["ecab"],
        ["ezra"] = ["ecab"], // a third member, so a quorum of two is neither "any" nor "all"
        ["rick"] = ["release-managers"],
        ["rose"] = ["release-managers"],
    };

    private readonly PostgresDatabase database = new();
    private readonly Dictionary<string, HttpClient> asUser = [];
    private readonly List<HttpClient> clients = [];
    private WebApplication? app;
    private WebApplication? health;

    /// <summary>Starts a little after now, on a whole second, so due times read well in failures.</summary>
    public ManualClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    public HttpClient Admin { get; private set; } = null!;

    public KubeApiEmulator Kube { get; private set; } = null!;

    /// <summary>What <see cref="HealthUrl"/> answers: 200 while true, 503 while false.</summary>
    public bool Healthy { get; set; } = true;

    /// <summary>How many times the health endpoint was asked.</summary>
    public int HealthChecks => Volatile.Read(ref healthChecks);

    public string HealthUrl { get; private set; } = "";

    private int healthChecks;

    public HttpClient As(string username) => asUser[username];

    public static string RepositoryRoot
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
                if (File.Exists(Path.Combine(folder.FullName, "WeOps.sln"))) return folder.FullName;
            throw new InvalidOperationException($"No WeOps.sln above {AppContext.BaseDirectory}.");
        }
    }

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        Kube = await KubeApiEmulator.StartAsync(Pki.Value);
        Kube.AddToken(KubeToken, "ops-automation");
        await StartHealthAsync();

        app = WeOpsServer.Create(
        [
            "--urls", "http://127.0.0.1:0",
            "--environment", "Testing",
            "--contentRoot", AppContext.BaseDirectory,
            "--Database:Provider=Postgres",
            $"--ConnectionStrings:WeOps={database.ConnectionString}",
            $"--Credentials:MasterKey={Cluster.TestCluster.MasterKey}",
            $"--Auth:AdminApiKey={AdminKey}",
            $"--Workflows:Path={Path.Combine(RepositoryRoot, "workflows")}",
            "--Smtp:Host=127.0.0.1",
            $"--Smtp:Port={Require("WEOPS_TEST_SMTP_PORT")}",
            "--Smtp:From=WeOps <weops@example.com>",
            // sshd, the SMTP server and the Kubernetes emulation listen on loopback, which the outbound
            // policy refuses unless allowed.
            "--Outbound:Allow=127.0.0.0/8,::1",
            "--Serilog:MinimumLevel:Default=Warning",
        ], builder => builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        Admin = NewClient(address, AdminKey);

        foreach (var (name, groups) in People)
        {
            (await Admin.PostAsJsonAsync("/api/users", new { username = name, displayName = char.ToUpperInvariant(name[0]) + name[1..], email = $"{name}@example.com", groups, roles = new[] { "operator", "approver" } }))
                .EnsureSuccessStatusCode();
            using var key = await Admin.PostAsJsonAsync("/api/keys", new { name = $"{name}'s key", roles = new[] { "operator", "approver" }, user = name });
            asUser[name] = NewClient(address, (string)(await key.JsonAsync(HttpStatusCode.Created))["key"]!);
        }

        await PutAsync("/api/credentials/sshd-key", new { kind = "ssh", values = new { username = Require("WEOPS_TEST_SSH_USER"), privateKey = await File.ReadAllTextAsync(Require("WEOPS_TEST_SSH_KEY")) } });
        await PutAsync("/api/hosts/web-1", new
        {
            address = "127.0.0.1",
            port = int.Parse(Require("WEOPS_TEST_SSH_PORT"), System.Globalization.CultureInfo.InvariantCulture),
            credential = "sshd-key",
            knownHosts = Require("WEOPS_TEST_SSH_KNOWN_HOSTS"),
            tags = new[] { "web", "prod" },
        });
        await PutAsync("/api/credentials/k8s-prod", new { kind = "kubernetes", values = new { kubeconfig = Kubeconfig() } });
    }

    /// <summary>Every process in workflows/ was published at first start; a file that did not validate would be
    /// missing here (it is kept as a draft and named in the log).</summary>
    public async Task<IReadOnlyList<string>> PublishedKeysAsync()
    {
        var definitions = (await (await Admin.GetAsync("/api/definitions")).JsonAsync(HttpStatusCode.OK)).AsArray();
        return [.. definitions.Where(d => (int?)d!["latestVersion"] > 0).Select(d => (string)d!["key"]!)];
    }

    /// <summary>Starts the latest published version of <paramref name="key"/> as <paramref name="asUser"/> (the admin key when null).</summary>
    public async Task<string> StartAsync(string key, object variables, string? asUser = null, string? businessKey = null)
    {
        using var response = await (asUser is null ? Admin : As(asUser)).PostAsJsonAsync("/api/instances", new { definitionKey = key, variables, businessKey });
        return (string)(await response.JsonAsync(HttpStatusCode.Created))["id"]!;
    }

    public Task<JsonNode> InstanceAsync(string id) => Admin.InstanceAsync(id);

    public Task<JsonNode> WaitForStatusAsync(string id, string status) => Admin.WaitForStatusAsync(id, status, Patience);

    /// <summary>Polls until <paramref name="check"/> holds for what <paramref name="read"/> returns; fails with the last value.</summary>
    public static async Task<T> EventuallyAsync<T>(string what, Func<Task<T>> read, Func<T, bool> check, TimeSpan? within = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (check(value)) return value;
            if (watch.Elapsed > (within ?? Patience))
                Assert.Fail($"Waited {watch.Elapsed.TotalSeconds:0.0} s for {what}; last: {(value is JsonNode node ? node.ToJsonString() : value?.ToString())}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the instance has an open user task at <paramref name="elementId"/>; returns it.</summary>
    public async Task<JsonNode> WaitForTaskAsync(string instanceId, string elementId)
    {
        var tasks = await EventuallyAsync($"an open task at {elementId} of {instanceId}",
            () => Admin.TasksAsync(instanceId), t => t.Any(task => (string?)task!["elementId"] == elementId));
        return tasks.First(task => (string?)task!["elementId"] == elementId)!;
    }

    /// <summary>Completes the open task at <paramref name="elementId"/> as <paramref name="user"/>.</summary>
    public async Task CompleteAsync(string instanceId, string elementId, string user, object? variables = null, string? outcome = null, string? comment = null)
    {
        var task = await WaitForTaskAsync(instanceId, elementId);
        using var response = await As(user).CompleteTaskAsync((long)task["id"]!, new { outcome, variables, comment });
        Assert.True(response.IsSuccessStatusCode, $"{user} completing {elementId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Decides the approval open at <paramref name="elementId"/> as <paramref name="user"/> (for their own seat or their group's).</summary>
    public async Task DecideAsync(string instanceId, string elementId, string user, string decision, string? comment = null)
    {
        var task = await WaitForTaskAsync(instanceId, elementId);
        using var response = await As(user).PostAsJsonAsync($"/api/tasks/{(long)task["id"]!}/decision", new { decision, comment });
        Assert.True(response.IsSuccessStatusCode, $"{user} deciding {elementId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The approvers seated on the open approval at <paramref name="elementId"/>, as the task lists them.</summary>
    public async Task<JsonNode> TaskAsync(string instanceId, string elementId) => await WaitForTaskAsync(instanceId, elementId);

    public async Task<JsonNode> TicketAsync(string number)
    {
        using var response = await Admin.GetAsync($"/api/tickets/{number}");
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>Waits until the instance has set the variable <paramref name="name"/>; returns its value.</summary>
    public async Task<JsonNode> WaitForVariableAsync(string instanceId, string name)
    {
        var instance = await EventuallyAsync($"variable {name} of {instanceId}", () => InstanceAsync(instanceId),
            i => i["variables"]?[name] is not null || (string?)i["status"] is "faulted" or "failed" or "cancelled");
        return instance["variables"]?[name] ?? throw new Xunit.Sdk.XunitException($"{instanceId} ended without {name}: {instance.ToJsonString()}");
    }

    public async Task<JsonNode> WaitForTicketStateAsync(string number, string state) =>
        await EventuallyAsync($"{number} in state {state}", () => TicketAsync(number), t => (string?)t["ticket"]?["state"] == state);

    /// <summary>Moves the clock; timers due by then fire on the workers' next poll.</summary>
    public void Advance(TimeSpan by) => Clock.Advance(by);

    public async Task<JsonNode> PostAlertsAsync(object payload)
    {
        using var response = await Admin.PostAsJsonAsync("/api/alerts/alertmanager", payload);
        return await response.JsonAsync(HttpStatusCode.Accepted);
    }

    /// <summary>The element ids the instance has passed, in order.</summary>
    public static IReadOnlyList<string> Passed(JsonNode instance) =>
        [.. instance["history"]!.AsArray().Select(h => (string)h!["elementId"]!)];

    public static TimeSpan Patience { get; } = TimeSpan.FromSeconds(60);

    public async Task DisposeAsync()
    {
        clients.ForEach(c => c.Dispose());
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        if (health is not null) await health.DisposeAsync();
        if (Kube is not null) await Kube.DisposeAsync();
        await database.DisposeAsync();
    }

    private const string KubeToken = "ops-automation-token-4f1d2c";

    // Making a CA is the slow part of the emulation; one serves every fixture.
    private static readonly Lazy<TestPki> Pki = new(() => new TestPki());

    private string Kubeconfig() => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: prod
          cluster:
            server: {Kube.Address.AbsoluteUri.TrimEnd('/')}
            certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Pki.Value.CaPem))}
        users:
        - name: ops-automation
          user:
            token: {KubeToken}
        contexts:
        - name: prod
          context:
            cluster: prod
            user: ops-automation
            namespace: {Namespace}
        current-context: prod
        """;

    private async Task StartHealthAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        health = builder.Build();
        health.MapGet("/health", () =>
        {
            Interlocked.Increment(ref healthChecks);
            return Healthy ? Results.Ok(new { status = "ok" }) : Results.StatusCode(503);
        });
        await health.StartAsync();
        HealthUrl = health.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single() + "/health";
    }

    private async Task PutAsync(string path, object body)
    {
        using var response = await Admin.PutAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private HttpClient NewClient(Uri address, string key)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        clients.Add(client);
        return client;
    }

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests through ./test.sh, which starts the test servers (scripts/services).");
}
