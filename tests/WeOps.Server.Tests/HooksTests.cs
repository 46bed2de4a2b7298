using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace WeOps.Server.Tests;

/// <summary><c>/hooks/...</c> on the in-process server: processes started by HTTP calls, with the process's
/// reply or a 202, and every kind of bad call refused with a problem that names it.</summary>
[Collection(ServerCollection.Name)]
public sealed class HooksTests(ServerFixture server)
{
    /// <summary>Deploys and publishes a process whose start event has <c>ops:http</c>; the body runs from
    /// <c>start</c>. Each test uses its own key and path prefix: the server is shared.</summary>
    private Task<string> PublishAsync(string http, string body) => PublishHookAsync(server.Client, http, body);

    /// <summary>Publishes a process with the start event <c>&lt;ops:http {http}/&gt;</c> (where <c>KEY</c> in it is the
    /// process's new key) and the given elements after it; returns the key.</summary>
    internal static async Task<string> PublishHookAsync(HttpClient admin, string http, string body)
    {
        var key = "hook-" + Guid.NewGuid().ToString("N")[..8];
        var xml = $$"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
              <bpmn:process id="{{key}}" isExecutable="true">
                <bpmn:startEvent id="start"><bpmn:extensionElements><ops:http {{http.Replace("KEY", key)}}/></bpmn:extensionElements></bpmn:startEvent>
                {{body}}
              </bpmn:process>
            </bpmn:definitions>
            """;
        using (var saved = await admin.PostAsync("/api/definitions", Http.Body(xml)))
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        using var published = await admin.PostAsJsonAsync($"/api/definitions/{key}/publish", new { });
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        return key;
    }

    internal const string EchoReply = """
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />
        <bpmn:endEvent id="end"><bpmn:extensionElements><ops:httpReply status="201" body="${ {request: request} }"/></bpmn:extensionElements></bpmn:endEvent>
        """;

    internal static ByteArrayContent Json(string json) => Http.Body(json, "application/json");

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string phrase)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(phrase, (string?)JsonNode.Parse(text)!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_caller_gets_the_process_reply_with_path_parameters_query_allowed_headers_and_body()
    {
        var key = await PublishAsync("""path="KEY/deploy/{service}" allowHeaders="X-Request-Id" """, EchoReply);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{key}/deploy/web?env=prod&tag=a&tag=b") { Content = Json("""{"replicas": 3}""") };
        request.Headers.Add("X-Request-Id", "req-7");
        request.Headers.Add("X-Not-Allowed", "secret");

        using var response = await server.As("operator").SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var echoed = (await response.JsonAsync())["request"]!;
        Assert.Equal("POST", (string?)echoed["method"]);
        Assert.Equal($"{key}/deploy/web", (string?)echoed["path"]);
        Assert.Equal("web", (string?)echoed["params"]!["service"]);
        Assert.Equal("prod", (string?)echoed["query"]!["env"]);
        Assert.Equal(["a", "b"], echoed["query"]!["tag"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("""{"x-request-id":"req-7"}""", echoed["headers"]!.ToJsonString());
        Assert.Equal(3, (int)echoed["body"]!["replicas"]!);
    }

    [Fact]
    public async Task A_reply_after_a_job_run_by_a_worker_still_reaches_the_caller()
    {
        var key = await PublishAsync("""path="KEY" """, """
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
            <bpmn:serviceTask id="check"><bpmn:extensionElements><ops:task type="noop"/><ops:input name="result" value="${ {free: 42} }"/><ops:output name="free" value="${output.result.free}"/></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="answer" />
            <bpmn:sendTask id="answer"><bpmn:extensionElements><ops:httpReply body="${ {free: free} }"/></bpmn:extensionElements></bpmn:sendTask>
            <bpmn:sequenceFlow id="f3" sourceRef="answer" targetRef="end" />
            <bpmn:endEvent id="end" />
            """);

        using var response = await server.As("operator").PostAsync($"/hooks/{key}", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"free":42}""", (await response.JsonAsync()).ToJsonString());
    }

    [Fact]
    public async Task A_reply_later_than_the_timeout_gives_202_with_the_status_url()
    {
        var key = await PublishAsync("""path="KEY" timeout="PT1S" """, """
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
            <bpmn:userTask id="approve" />
            <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
            <bpmn:endEvent id="end"><bpmn:extensionElements><ops:httpReply body="too late"/></bpmn:extensionElements></bpmn:endEvent>
            """);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await server.As("operator").PostAsync($"/hooks/{key}", Json("{}"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        var accepted = await response.JsonAsync();
        var statusUrl = (string?)accepted["statusUrl"];
        Assert.Equal($"/api/instances/{(string?)accepted["instanceId"]}", statusUrl);
        Assert.Equal(statusUrl, response.Headers.Location?.OriginalString);
        using var instance = await server.Client.GetAsync(statusUrl);
        Assert.Equal(HttpStatusCode.OK, instance.StatusCode);
    }

    [Fact]
    public async Task A_process_without_a_reply_answers_202_at_once()
    {
        var key = await PublishAsync("""path="KEY" """, """<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" /><bpmn:endEvent id="end" />""");

        using var response = await server.As("admin").PostAsync($"/hooks/{key}", Json("""{"a": 1}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["instanceId"]);
    }

    [Fact]
    public async Task A_key_hook_needs_a_key_with_hooks_call()
    {
        var key = await PublishAsync("""path="KEY" """, EchoReply);

        using (var anonymous = await server.Anonymous.PostAsync($"/hooks/{key}", Json("{}")))
        {
            await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "hooks:call");
            Assert.StartsWith("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
        }

        using (var badKey = await server.Server.NewClient("weops_" + new string('B', 43)).PostAsync($"/hooks/{key}", Json("{}")))
            Assert.Equal(HttpStatusCode.Unauthorized, badKey.StatusCode);
        using var approver = await server.As("approver").PostAsync($"/hooks/{key}", Json("{}"));
        await AssertProblemAsync(approver, HttpStatusCode.Forbidden, "'hooks:call'");
    }

    [Fact]
    public async Task An_oversized_body_is_413_and_starts_nothing()
    {
        var key = await PublishAsync("""path="KEY" """, EchoReply);
        var big = "{\"x\": \"" + new string('a', 256 * 1024) + "\"}";

        using var response = await server.As("operator").PostAsync($"/hooks/{key}", Json(big));
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "256 KiB");

        // Without a length up front the server stops reading at the limit.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{key}") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))) };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        using var streamed = await server.As("operator").SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Empty(await InstancesAsync(key));
    }

    [Theory]
    [InlineData("{\"a\": ", "not valid JSON")]
    [InlineData("{'a': 1}", "not valid JSON")]
    [InlineData("[1, 2", "not valid JSON")]
    [InlineData("\u0000\u0001garbage", "not valid JSON")]
    public async Task Malformed_JSON_is_400_and_starts_nothing(string body, string phrase)
    {
        var key = await PublishAsync("""path="KEY" """, EchoReply);

        using var response = await server.As("operator").PostAsync($"/hooks/{key}", Json(body));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, phrase);
        Assert.Empty(await InstancesAsync(key));
    }

    [Fact]
    public async Task JSON_nested_too_deep_is_400()
    {
        var key = await PublishAsync("""path="KEY" """, EchoReply);

        using var response = await server.As("operator").PostAsync($"/hooks/{key}", Json(new string('[', 100) + new string(']', 100)));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "not valid JSON");
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415()
    {
        var key = await PublishAsync("""path="KEY" """, EchoReply);

        using var response = await server.As("operator").PostAsync($"/hooks/{key}", Http.Body("a=1", "application/x-www-form-urlencoded"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "application/json");
    }

    [Fact]
    public async Task An_unknown_path_is_404_and_a_wrong_method_405_naming_the_allowed_ones()
    {
        var key = await PublishAsync("""path="KEY/item/{id}" method="PUT" """, EchoReply);

        using (var unknown = await server.As("operator").PostAsync($"/hooks/{key}/nothing-here", Json("{}")))
            await AssertProblemAsync(unknown, HttpStatusCode.NotFound, $"/hooks/{key}/nothing-here");
        using (var tooShort = await server.As("operator").PutAsync($"/hooks/{key}/item", Json("{}")))
            Assert.Equal(HttpStatusCode.NotFound, tooShort.StatusCode);
        using var wrongMethod = await server.As("operator").PostAsync($"/hooks/{key}/item/7", Json("{}"));
        await AssertProblemAsync(wrongMethod, HttpStatusCode.MethodNotAllowed, "answers PUT");
        Assert.Equal(["PUT"], wrongMethod.Content.Headers.Allow);
        using var right = await server.As("operator").PutAsync($"/hooks/{key}/item/7", Json("{}"));
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
    }

    [Fact]
    public async Task A_second_process_on_the_same_route_is_refused_at_publish_naming_the_start_event()
    {
        var first = await PublishAsync("""path="KEY/shared/{x}" """, EchoReply);
        var key = "hook-" + Guid.NewGuid().ToString("N")[..8];
        var xml = $$"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
              <bpmn:process id="{{key}}" isExecutable="true">
                <bpmn:startEvent id="clashing"><bpmn:extensionElements><ops:http path="{{first}}/shared/{y}"/></bpmn:extensionElements></bpmn:startEvent>
                <bpmn:sequenceFlow id="f1" sourceRef="clashing" targetRef="end" /><bpmn:endEvent id="end" />
              </bpmn:process>
            </bpmn:definitions>
            """;
        using (var saved = await server.Client.PostAsync("/api/definitions", Http.Body(xml)))
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        using var published = await server.Client.PostAsJsonAsync($"/api/definitions/{key}/publish", new { });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, published.StatusCode);
        var problem = Assert.Single((await published.JsonAsync())["problems"]!.AsArray())!;
        Assert.Equal("clashing", (string?)problem["elementId"]);
        Assert.Contains($"process '{first}'", (string?)problem["message"], StringComparison.Ordinal);
    }

    private Task<JsonArray> InstancesAsync(string key) => InstancesOfAsync(server.Client, key);

    internal static async Task<JsonArray> InstancesOfAsync(HttpClient client, string key)
    {
        using var response = await client.GetAsync($"/api/instances?definitionKey={key}");
        var json = await response.JsonAsync();
        return json as JsonArray ?? json["items"]!.AsArray();
    }
}
