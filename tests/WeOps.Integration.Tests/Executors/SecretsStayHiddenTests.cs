using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeOps.Integration.Tests.Cluster;
using Xunit.Abstractions;

namespace WeOps.Integration.Tests.Executors;

/// <summary>A process whose steps use an SSH key, a bearer token and an SMTP password, run by a real
/// server process logging at Debug: afterwards no secret is in its log, the instance's variables and
/// history, or any API answer.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SecretsStayHiddenTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    private const string HookToken = "hook-token-7f3a9c1e5b2d4f6a8c0e";

    [Fact]
    public async Task No_secret_reaches_the_log_the_instance_or_the_api()
    {
        var sshKey = await File.ReadAllTextAsync(Require("WEOPS_TEST_SSH_KEY"));
        var smtpPassword = Require("WEOPS_TEST_SMTP_PASSWORD");
        // A line from the middle of the key: its base64 body, not the armour every key shares.
        var keyLines = sshKey.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var keyLine = keyLines[keyLines.Length / 2];
        string[] secrets = [HookToken, smtpPassword, keyLine];

        await using var hook = await Hook.StartAsync();
        using var cluster = new TestCluster(output);
        await cluster.RunAsync(async () =>
        {
            // sshd, the hook receiver and the SMTP server listen on loopback, which the outbound policy
            // refuses unless allowed.
            var node = cluster.StartOnPostgres("node", database, "Serilog:MinimumLevel:Default=Debug", "Outbound:Allow=127.0.0.0/8,::1");
            await node.WaitReadyAsync(TestCluster.Startup);
            var api = node.Client;

            await PutAsync(api, "/api/credentials/sshd-key", new { kind = "ssh", values = new { username = Require("WEOPS_TEST_SSH_USER"), privateKey = sshKey } });
            await PutAsync(api, "/api/credentials/hook-token", new { kind = "webhook", values = new { secret = HookToken } });
            await PutAsync(api, "/api/credentials/team-smtp", new
            {
                kind = "smtp",
                values = new { host = "127.0.0.1", port = Require("WEOPS_TEST_SMTP_PORT"), username = Require("WEOPS_TEST_SMTP_USER"), password = smtpPassword },
            });
            await PutAsync(api, "/api/hosts/sshd", new
            {
                address = "127.0.0.1",
                port = int.Parse(Require("WEOPS_TEST_SSH_PORT"), System.Globalization.CultureInfo.InvariantCulture),
                credential = "sshd-key",
                knownHosts = Require("WEOPS_TEST_SSH_KNOWN_HOSTS"),
            });

            var key = await api.DeployAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Executors", "Fixtures", "secrets-in-every-step.bpmn")));
            using var started = await api.PostAsJsonAsync("/api/instances", new { definitionKey = key, variables = new { host = "sshd", hookUrl = $"{hook.Address}hook" } });
            var id = (string)(await started.JsonAsync(HttpStatusCode.Created))["id"]!;
            var instance = await cluster.EventuallyAsync("the instance to end", TimeSpan.FromSeconds(60),
                () => api.InstanceAsync(id), i => (string?)i["status"] is "completed" or "failed" or "faulted");

            Assert.True((string?)instance["status"] == "completed", instance.ToJsonString());
            // The secrets were used: the hook saw the token, sshd let the key in, the SMTP server took the password.
            Assert.Equal($"Bearer {HookToken}", Assert.Single(hook.Authorizations));
            Assert.Equal(Require("WEOPS_TEST_SSH_USER"), ((string?)instance["variables"]!["sshResult"]!["hosts"]![0]!["stdout"])?.Trim());
            Assert.NotNull(instance["variables"]!["mailResult"]!["messageId"]);

            var answers = new List<string> { instance.ToJsonString() };
            foreach (var path in new[] { "/api/credentials", "/api/credentials/sshd-key", "/api/credentials/hook-token", "/api/credentials/team-smtp",
                         "/api/hosts", $"/api/instances?definitionKey={key}", "/api/activities" })
            {
                using var response = await api.GetAsync(path);
                answers.Add(await response.Content.ReadAsStringAsync());
            }

            // Let the node write out what it has buffered before its log is read.
            await Task.Delay(500);
            var log = await File.ReadAllTextAsync(node.LogPath);
            Assert.Contains("secrets-in-every-step", log); // the log is the node's and is at Debug

            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, log);
                Assert.All(answers, answer => Assert.DoesNotContain(secret, answer));
            }
        });
    }

    private static async Task PutAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PutAsJsonAsync(path, body);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: run the tests through ./test.sh, which starts sshd and the SMTP server.");

    /// <summary>A webhook receiver on 127.0.0.1 that records the Authorization header of each call.</summary>
    private sealed class Hook : IAsyncDisposable
    {
        private readonly WebApplication app;

        private Hook(WebApplication app, Uri address)
        {
            this.app = app;
            Address = address;
        }

        public Uri Address { get; }

        public System.Collections.Concurrent.ConcurrentQueue<string> Authorizations { get; } = new();

        public static async Task<Hook> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            Hook? self = null;
            app.MapPost("/hook", (HttpRequest request) =>
            {
                self!.Authorizations.Enqueue(request.Headers.Authorization.ToString());
                return Results.Json(new JsonObject { ["ok"] = true });
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            self = new Hook(app, new Uri(address.EndsWith('/') ? address : address + "/"));
            return self;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
