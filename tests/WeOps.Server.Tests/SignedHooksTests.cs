using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static WeOps.Server.Tests.HooksTests;

namespace WeOps.Server.Tests;

/// <summary>Hooks with <c>auth="hmac"</c>: the signature covers <c>X-WeOps-Timestamp</c> and the body; a delivery
/// outside the five-minute window or seen before is 409 and starts nothing; the old body-only signature is 401.
/// Signatures are computed here with HMACSHA256, independently of the server's code.</summary>
[Collection(ServerCollection.Name)]
public sealed class SignedHooksTests(ServerFixture server)
{
    // One secret per test (xunit makes an instance per test): tests of this class send the same body in the same
    // second, and with one secret their signatures would be equal and a later test's first delivery a replay.
    private readonly string hookSecret = "hook-signing-secret-" + Guid.NewGuid().ToString("N");
    private const string Body = """{"ref": "main"}""";

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private string Sign(long timestamp, string body, string? secret = null) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? hookSecret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    /// <summary>A webhook credential holding <see cref="hookSecret"/>, and a published process whose hook it signs.</summary>
    private async Task<(string Key, string Credential)> SignedHookAsync(string body = """<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" /><bpmn:endEvent id="end" />""")
    {
        var credential = "hook-secret-" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await server.Client.PutAsJsonAsync($"/api/credentials/{credential}", new { kind = "webhook", values = new { secret = hookSecret } }))
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var key = await PublishHookAsync(server.Client, $"""path="KEY/signed" auth="hmac" secretCredential="{credential}" """, body);
        return (key, credential);
    }

    private async Task<HttpResponseMessage> DeliverAsync(string key, string? signature, string? timestamp, string body = Body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{key}/signed") { Content = Json(body) };
        if (signature is not null) request.Headers.Add("X-WeOps-Signature", signature);
        if (timestamp is not null) request.Headers.Add("X-WeOps-Timestamp", timestamp);
        return await server.Anonymous.SendAsync(request);
    }

    private async Task<int> InstanceCountAsync(string key) => (await InstancesOfAsync(server.Client, key)).Count;

    [Fact]
    public async Task A_correctly_signed_delivery_starts_the_process_without_a_key_and_a_bad_or_missing_signature_is_401()
    {
        var (key, _) = await SignedHookAsync(EchoReply);
        var now = Now;

        using (var signed = await DeliverAsync(key, Sign(now, Body), $"{now}"))
        {
            Assert.Equal(HttpStatusCode.Created, signed.StatusCode);
            Assert.Equal("main", (string?)(await signed.JsonAsync())["request"]!["body"]!["ref"]);
        }

        var good = Sign(now + 1, Body);
        foreach (var bad in new[] { Sign(now + 1, Body, "other"), "sha256=zz", "sha1=" + new string('0', 40), good[7..], "" })
        {
            using var refused = await DeliverAsync(key, bad, $"{now + 1}");
            await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "X-WeOps-Signature");
        }

        using var missing = await DeliverAsync(key, null, $"{now + 1}");
        await AssertProblemAsync(missing, HttpStatusCode.Unauthorized, "HMAC-SHA256");
        Assert.Equal(1, await InstanceCountAsync(key));
    }

    [Fact]
    public async Task The_same_signed_delivery_sent_twice_starts_one_instance_and_the_second_is_409()
    {
        var (key, _) = await SignedHookAsync();
        var now = Now;
        var signature = Sign(now, Body);

        using var first = await DeliverAsync(key, signature, $"{now}");
        using var second = await DeliverAsync(key, signature, $"{now}");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await AssertProblemAsync(second, HttpStatusCode.Conflict, "accepted before");
        Assert.Equal(1, await InstanceCountAsync(key));

        // The same body signed again with another timestamp is a new delivery.
        using var again = await DeliverAsync(key, Sign(now + 1, Body), $"{now + 1}");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(2, await InstanceCountAsync(key));
    }

    [Theory]
    [InlineData(-6 * 60, "s old")]
    [InlineData(6 * 60, "ahead of the server's clock")]
    public async Task A_delivery_signed_six_minutes_from_now_is_409_and_starts_nothing(int offsetSeconds, string phrase)
    {
        var (key, _) = await SignedHookAsync();
        var then = Now + offsetSeconds;

        using var response = await DeliverAsync(key, Sign(then, Body), $"{then}");

        await AssertProblemAsync(response, HttpStatusCode.Conflict, phrase);
        Assert.Contains("300 s", (string?)(await response.JsonAsync())["detail"], StringComparison.Ordinal);
        Assert.Equal(0, await InstanceCountAsync(key));
    }

    [Fact]
    public async Task A_signature_that_does_not_cover_the_sent_timestamp_is_401()
    {
        var (key, _) = await SignedHookAsync();
        var now = Now;

        // Signed at one time, sent with another: an altered timestamp, as an old delivery made to look new would be.
        using var response = await DeliverAsync(key, Sign(now - 600, Body), $"{now}");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "<timestamp>.<body>");
        Assert.Equal(0, await InstanceCountAsync(key));
    }

    [Fact]
    public async Task A_signature_of_the_body_alone_is_401_saying_the_timestamp_header_is_required()
    {
        var (key, _) = await SignedHookAsync();
        var bodyOnly = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(hookSecret), Encoding.UTF8.GetBytes(Body)));

        using var response = await DeliverAsync(key, bodyOnly, null);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "X-WeOps-Timestamp");
        Assert.Contains("body alone is not accepted", (string?)(await response.JsonAsync())["detail"], StringComparison.Ordinal);
        Assert.Equal(0, await InstanceCountAsync(key));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public async Task A_timestamp_that_is_not_Unix_seconds_is_401_naming_the_header(string timestamp)
    {
        var (key, _) = await SignedHookAsync();

        using var response = await DeliverAsync(key, Sign(Now, Body), timestamp);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "X-WeOps-Timestamp must be the Unix time in seconds");
    }

    [Fact]
    public async Task A_signed_hook_whose_credential_is_missing_refuses_every_call()
    {
        var key = await PublishHookAsync(server.Client, """path="KEY/signed" auth="hmac" secretCredential="no-such-credential" """, EchoReply);
        var now = Now;

        using var response = await DeliverAsync(key, Sign(now, Body), $"{now}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_notify_webhook_step_starts_another_process_through_its_signed_hook()
    {
        var (target, credential) = await SignedHookAsync();
        var hookUrl = new Uri(server.Server.Address, $"/hooks/{target}/signed");
        var caller = await PublishHookAsync(server.Client, """path="KEY" """, $$"""
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="notify" />
            <bpmn:serviceTask id="notify"><bpmn:extensionElements>
              <ops:task type="notify.webhook" retries="0"/>
              <ops:input name="platform" value="generic"/>
              <ops:input name="url" value="{{hookUrl}}"/>
              <ops:input name="credential" value="{{credential}}"/>
              <ops:input name="payload" value="${ {ref: 'release-7'} }"/>
            </bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="notify" targetRef="end" />
            <bpmn:endEvent id="end" />
            """);

        using (var started = await server.As("operator").PostAsync($"/hooks/{caller}", Json("{}")))
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        JsonNode? instance = null;
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); instance is null && wait.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(100))
            instance = (await InstancesOfAsync(server.Client, target)).FirstOrDefault();
        Assert.NotNull(instance);
        using var detail = await server.Client.GetAsync($"/api/instances/{(string?)instance["id"]}");
        var variables = (await detail.JsonAsync())["variables"]!;
        Assert.Equal("release-7", (string?)variables["request"]!["body"]!["ref"]);
    }
}
