using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Activities.Credentials;
using WeOps.Activities.Http;
using WeOps.Activities.Network;
using WeOps.Activities.Tests.Http;
using WeOps.Activities.Tests.Support;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Network;

/// <summary>http.request under the outbound policy, against receivers on loopback: what the defaults
/// refuse, what configuration allows, and what a redirect may carry.</summary>
public sealed class HttpOutboundPolicyTests
{
    private const string Secret = "bearer-secret-4d1f";

    private static readonly InMemoryCredentialStore Credentials = new InMemoryCredentialStore()
        .Add(new Credential("api", CredentialKind.Webhook, new Dictionary<string, string> { ["secret"] = Secret }));

    /// <summary>The policy the server builds from <paramref name="settings"/> (Outbound:Allow, Outbound:Deny).</summary>
    private static OutboundPolicy Configured(params (string Key, string Value)[] settings) =>
        new(OutboundOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build()
            .GetSection("Outbound")));

    private static async Task<JsonNode?> RunAsync(OutboundPolicy policy, JsonObject inputs)
    {
        using var http = new OutboundHttp(policy);
        var executor = new HttpRequestExecutor(http, Credentials);
        return await executor.ExecuteAsync(JsonNode.Parse(inputs.ToJsonString())!.AsObject(),
            new ExecutorContext("i-1", "call", 1, NullLogger.Instance, new InMemoryLargeOutputStore()), CancellationToken.None);
    }

    private static Task<LoopbackHttpServer> ReceiverAsync(IPAddress? address = null) =>
        LoopbackHttpServer.StartAsync((context, _) => context.Response.WriteAsync("received"), address);

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("[::ffff:127.0.0.1]", "127.0.0.1")]
    [InlineData("localhost", "the address of 'localhost'")]
    public async Task Loopback_in_any_spelling_is_refused_by_default_and_nothing_is_sent(string host, string named)
    {
        await using var receiver = await ReceiverAsync();

        var error = await Assert.ThrowsAsync<OutboundRefusedException>(() =>
            RunAsync(TestOutbound.Defaults, new JsonObject { ["url"] = $"http://{host}:{receiver.Url.Port}/probe", ["retries"] = 0 }));

        Assert.Contains("outbound policy refuses", error.Message);
        Assert.Contains(named, error.Message);
        Assert.Contains("loopback", error.Message);
        Assert.Contains("Outbound:Allow", error.Message);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task The_ipv6_loopback_is_refused_by_default()
    {
        using var closed = new Support.ClosedPort();

        var error = await Assert.ThrowsAsync<OutboundRefusedException>(() =>
            RunAsync(TestOutbound.Defaults, new JsonObject { ["url"] = $"http://[::1]:{closed.Port}/", ["retries"] = 0 }));

        Assert.Contains("::1", error.Message);
        Assert.Contains("Outbound:Allow", error.Message);
    }

    [Fact]
    public async Task The_cloud_metadata_address_is_refused_by_default_before_any_connection()
    {
        var error = await Assert.ThrowsAsync<OutboundRefusedException>(() =>
            RunAsync(TestOutbound.Defaults, new JsonObject { ["url"] = "http://169.254.169.254/latest/meta-data/iam/security-credentials/", ["retries"] = 0 }));

        Assert.Contains("169.254.169.254", error.Message);
        Assert.Contains("cloud metadata", error.Message);
        Assert.Contains("Outbound:Allow", error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("2130706433")]
    [InlineData("localhost")]
    public async Task Loopback_allowed_by_configuration_is_reached(string host)
    {
        await using var receiver = await ReceiverAsync();
        var policy = Configured(("Outbound:Allow:0", "127.0.0.0/8"), ("Outbound:Allow:1", "::1"));

        var output = (await RunAsync(policy, new JsonObject { ["url"] = $"http://{host}:{receiver.Url.Port}/probe" }))!;

        Assert.Equal("received", (string?)output["body"]);
        Assert.Equal("/probe", receiver.Single().Path);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("localhost", "localhost")]
    public async Task Deny_wins_over_allow(string host, string denied)
    {
        await using var receiver = await ReceiverAsync();
        var policy = Configured(("Outbound:Allow", "127.0.0.0/8,::1"), ("Outbound:Deny", denied));

        var error = await Assert.ThrowsAsync<OutboundRefusedException>(() =>
            RunAsync(policy, new JsonObject { ["url"] = $"http://{host}:{receiver.Url.Port}/", ["retries"] = 0 }));

        Assert.Contains($"'{denied}' in Outbound:Deny", error.Message);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_redirect_to_another_origin_carries_no_credential_or_header_the_step_set()
    {
        await using var other = await ReceiverAsync(IPAddress.Parse("127.0.0.2"));
        await using var origin = await LoopbackHttpServer.StartAsync(async (context, request) =>
        {
            if (request.Path == "/same") context.Response.Redirect("/landing");
            else if (request.Path == "/away") context.Response.Redirect(new Uri(other.Url, "/landing").ToString());
            else await context.Response.WriteAsync("landed");
        });
        JsonObject Inputs(string path) => new()
        {
            ["url"] = origin.At(path).ToString(),
            ["credential"] = "api",
            ["headers"] = new JsonObject { ["X-Api-Key"] = "key-9e2b", ["Cookie"] = "session=c0ffee", ["X-Trace-Token"] = "t-77" },
        };
        var policy = Configured(("Outbound:Allow", "127.0.0.0/8"));

        await RunAsync(policy, Inputs("/same"));
        await RunAsync(policy, Inputs("/away"));

        var sameOrigin = origin.Requests.Single(r => r.Path == "/landing");
        Assert.Equal($"Bearer {Secret}", sameOrigin.Header("authorization"));
        Assert.Equal("key-9e2b", sameOrigin.Header("x-api-key"));
        var elsewhere = other.Single();
        Assert.Equal("/landing", elsewhere.Path);
        foreach (var header in new[] { "authorization", "x-api-key", "cookie", "x-trace-token" })
            Assert.Null(elsewhere.Header(header));
    }

    [Fact]
    public async Task A_redirect_to_a_refused_address_is_refused_and_not_followed()
    {
        // 127.0.0.2 is loopback too; only 127.0.0.1 is allowed.
        await using var refused = await ReceiverAsync(IPAddress.Parse("127.0.0.2"));
        await using var origin = await LoopbackHttpServer.StartAsync((context, _) =>
        {
            context.Response.Redirect(new Uri(refused.Url, "/inside").ToString());
            return Task.CompletedTask;
        });

        var error = await Assert.ThrowsAsync<OutboundRefusedException>(() =>
            RunAsync(Configured(("Outbound:Allow", "127.0.0.1")), new JsonObject { ["url"] = origin.At("/start").ToString(), ["retries"] = 0 }));

        Assert.Contains("127.0.0.2", error.Message);
        Assert.Contains("Outbound:Allow", error.Message);
        Assert.Equal("/start", origin.Single().Path);
        Assert.Empty(refused.Requests);
    }
}
