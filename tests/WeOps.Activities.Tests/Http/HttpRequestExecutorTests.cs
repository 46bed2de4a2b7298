using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Activities.Credentials;
using WeOps.Activities.Http;
using WeOps.Activities.Tests.Support;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Http;

public sealed class HttpRequestExecutorTests : IDisposable
{
    private const string Secret = "s3cr3t-token-value";
    private readonly OutboundHttp http = new(TestOutbound.LoopbackAllowed);
    private readonly InMemoryLargeOutputStore largeOutputs = new();
    private readonly HttpRequestExecutor executor;

    public HttpRequestExecutorTests()
    {
        var credentials = new InMemoryCredentialStore()
            .Add(new Credential("api", CredentialKind.Webhook, new Dictionary<string, string> { ["secret"] = Secret }))
            .Add(new Credential("box", CredentialKind.Ssh, new Dictionary<string, string> { ["username"] = "u" }));
        executor = new HttpRequestExecutor(http, credentials);
    }

    public void Dispose() => http.Dispose();

    // Inputs reach executors as parsed JSON (the engine's evaluated templates), so they are given that way.
    private Task<JsonNode?> RunAsync(JsonObject inputs, CancellationToken cancellationToken = default) =>
        executor.ExecuteAsync(JsonNode.Parse(inputs.ToJsonString())!.AsObject(), new ExecutorContext("i-1", "call", 1, NullLogger.Instance, largeOutputs), cancellationToken);

    [Fact]
    public async Task Get_returns_status_lower_case_headers_parsed_json_and_duration()
    {
        await using var server = await LoopbackHttpServer.StartAsync(async (context, _) =>
        {
            context.Response.Headers["X-Request-Id"] = "abc";
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync("""{"ok":true,"items":[1,2]}""");
        });

        var output = (await RunAsync(new JsonObject { ["url"] = server.At("/status").ToString() }))!;

        Assert.Equal(200, (int)output["status"]!);
        Assert.Equal("abc", (string)output["headers"]!["x-request-id"]!);
        Assert.StartsWith("application/json", (string)output["headers"]!["content-type"]!);
        Assert.True((bool)output["body"]!["ok"]!);
        Assert.Equal(2, output["body"]!["items"]!.AsArray().Count);
        Assert.True((long)output["durationMs"]! >= 0);
        Assert.Null(output["bodyTruncated"]);
        Assert.Equal("GET", server.Single().Method);
    }

    [Fact]
    public async Task Post_sends_an_object_body_as_json_with_the_headers_and_query_given()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(201, "{}");

        await RunAsync(new JsonObject
        {
            ["method"] = "POST",
            ["url"] = server.At("/items?existing=1").ToString(),
            ["headers"] = new JsonObject { ["X-Trace"] = "t-1", ["X-Count"] = 3 },
            ["query"] = new JsonObject { ["q"] = "a b&c", ["tag"] = new JsonArray("x", "y") },
            ["body"] = new JsonObject { ["name"] = "web-1", ["replicas"] = 2 },
        });

        var request = server.Single();
        Assert.Equal("POST", request.Method);
        Assert.Equal("/items", request.Path);
        Assert.Equal("?existing=1&q=a%20b%26c&tag=x&tag=y", request.Query);
        Assert.Equal("t-1", request.Header("x-trace"));
        Assert.Equal("3", request.Header("x-count"));
        Assert.Equal("application/json; charset=utf-8", request.Header("content-type"));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["name"] = "web-1", ["replicas"] = 2 }, request.Json));
    }

    [Fact]
    public async Task A_string_body_is_sent_as_text_unless_content_type_says_otherwise()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, "{}");

        await RunAsync(new JsonObject { ["method"] = "put", ["url"] = server.Url.ToString(), ["body"] = "plain words" });
        await RunAsync(new JsonObject { ["method"] = "put", ["url"] = server.Url.ToString(), ["body"] = "<a/>", ["contentType"] = "application/xml" });
        await RunAsync(new JsonObject
        {
            ["method"] = "post",
            ["url"] = server.Url.ToString(),
            ["body"] = new JsonObject { ["user"] = "ops", ["note"] = "a=b" },
            ["contentType"] = "application/x-www-form-urlencoded",
        });

        var requests = server.Requests.ToArray();
        Assert.Equal(("text/plain; charset=utf-8", "plain words"), (requests[0].Header("content-type"), requests[0].BodyText));
        Assert.Equal(("application/xml", "<a/>"), (requests[1].Header("content-type"), requests[1].BodyText));
        Assert.Equal(("application/x-www-form-urlencoded", "user=ops&note=a%3Db"), (requests[2].Header("content-type"), requests[2].BodyText));
    }

    [Fact]
    public async Task A_webhook_credential_is_sent_as_a_bearer_token()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, "{}");

        await RunAsync(new JsonObject { ["url"] = server.Url.ToString(), ["credential"] = "api" });

        Assert.Equal("Bearer " + Secret, server.Single().Header("authorization"));
    }

    [Fact]
    public async Task An_unexpected_status_is_the_bpmn_error_HTTP_status_with_an_excerpt_and_no_secret()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(404, """{"error":"no such deployment"}""");

        var error = await Assert.ThrowsAsync<BpmnErrorException>(() => RunAsync(new JsonObject { ["url"] = server.At("/x?token=abc").ToString(), ["credential"] = "api" }));

        Assert.Equal("HTTP_404", error.ErrorCode);
        Assert.Contains("404", error.Message);
        Assert.Contains("no such deployment", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
        Assert.DoesNotContain("token=abc", error.Message);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("[404]", 404)]
    [InlineData("[\"2xx\", \"404\"]", 404)]
    [InlineData("\"400-410\"", 404)]
    [InlineData("\"3xx,4xx\"", 418)]
    public async Task Statuses_listed_in_expectStatus_are_returned(string expect, int status)
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(status, "gone", "text/plain");

        var output = (await RunAsync(new JsonObject { ["url"] = server.Url.ToString(), ["expectStatus"] = JsonNode.Parse(expect) }))!;

        Assert.Equal(status, (int)output["status"]!);
        Assert.Equal("gone", (string)output["body"]!);
    }

    [Fact]
    public async Task A_2xx_outside_expectStatus_is_an_error()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, "{}");

        var error = await Assert.ThrowsAsync<BpmnErrorException>(() => RunAsync(new JsonObject { ["url"] = server.Url.ToString(), ["expectStatus"] = 204 }));

        Assert.Equal("HTTP_200", error.ErrorCode);
    }

    [Fact]
    public async Task Server_errors_are_retried_until_an_answer_succeeds()
    {
        var calls = 0;
        await using var server = await LoopbackHttpServer.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = Interlocked.Increment(ref calls) < 3 ? 503 : 200;
            await context.Response.WriteAsync("done");
        });

        var output = (await RunAsync(new JsonObject { ["url"] = server.Url.ToString(), ["retries"] = 2 }))!;

        Assert.Equal(200, (int)output["status"]!);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_connection_broken_while_the_body_is_read_is_retried()
    {
        // Kestrel cannot be made to promise a body it then does not send, so this peer speaks raw HTTP/1.1.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var peer = Task.Run(async () =>
        {
            string[] answers =
            [
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nonly a part",
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nwhole",
            ];
            foreach (var answer in answers)
            {
                using var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var request = new byte[4096];
                var seen = "";
                while (!seen.Contains("\r\n\r\n", StringComparison.Ordinal))
                    seen += System.Text.Encoding.ASCII.GetString(request, 0, await stream.ReadAsync(request));
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(answer));
                client.Client.Shutdown(SocketShutdown.Both);
            }
        });

        try
        {
            var output = (await RunAsync(new JsonObject { ["url"] = $"http://127.0.0.1:{port}/", ["retries"] = 1 }))!;

            Assert.Equal("whole", (string)output["body"]!);
            await peer.WaitAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task A_server_error_that_persists_is_HTTP_5xx_after_the_retries()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(502, "bad gateway", "text/plain");

        var error = await Assert.ThrowsAsync<BpmnErrorException>(() => RunAsync(new JsonObject { ["url"] = server.Url.ToString(), ["retries"] = 1 }));

        Assert.Equal("HTTP_502", error.ErrorCode);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(400, "bad", "text/plain");

        await Assert.ThrowsAsync<BpmnErrorException>(() => RunAsync(new JsonObject { ["url"] = server.Url.ToString(), ["retries"] = 3 }));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_refused_connection_is_a_technical_failure_after_the_retries()
    {
        using var closed = new Support.ClosedPort();
        var port = closed.Port;

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => RunAsync(new JsonObject { ["url"] = $"http://127.0.0.1:{port}/x", ["retries"] = 1 }));

        Assert.Contains("after 2 attempt(s)", error.Message);
    }

    [Fact]
    public async Task An_attempt_without_an_answer_times_out_promptly()
    {
        await using var server = await LoopbackHttpServer.StartAsync(async (context, _) => await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => RunAsync(new JsonObject { ["url"] = server.Url.ToString(), ["timeout"] = "PT0.3S", ["retries"] = 1 }));

        // Counted from the message: under load, Kestrel may not reach its handler before an attempt is cut off.
        Assert.Contains("2 attempt(s)", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task The_step_cancellation_aborts_the_request()
    {
        await using var server = await LoopbackHttpServer.StartAsync(async (context, _) => await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted));
        using var step = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(new JsonObject { ["url"] = server.Url.ToString(), ["retries"] = 3 }, step.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(server.Requests.Count <= 1, "a cancelled step must not try again");
    }

    [Fact]
    public async Task A_large_body_is_capped_in_the_output_and_stored_whole()
    {
        var big = "[" + string.Join(",", Enumerable.Repeat("\"0123456789\"", 500)) + "]";
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, big);

        var output = (await RunAsync(new JsonObject { ["url"] = server.Url.ToString(), ["maxResponseBytes"] = 1000 }))!;

        Assert.Equal(1000, ((string)output["body"]!).Length);
        Assert.True((bool)output["bodyTruncated"]!);
        var stored = largeOutputs.Outputs[(string)output["bodyRef"]!];
        Assert.Equal(big, stored.Content);
        Assert.Equal(("i-1", "call"), (stored.InstanceId, stored.ElementId));
    }

    [Fact]
    public async Task A_capped_body_is_not_cut_inside_a_character()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, "aé", "text/plain; charset=utf-8");

        var output = (await RunAsync(new JsonObject { ["url"] = server.Url.ToString(), ["maxResponseBytes"] = 2 }))!;

        Assert.Equal("a", (string)output["body"]!);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_returned_as_text()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, "<html>hi</html>", "text/html");
        await using var liar = await LoopbackHttpServer.AnsweringAsync(200, "not json {", "application/json");

        var html = (await RunAsync(new JsonObject { ["url"] = server.Url.ToString() }))!;
        var broken = (await RunAsync(new JsonObject { ["url"] = liar.Url.ToString() }))!;

        Assert.Equal("<html>hi</html>", (string)html["body"]!);
        Assert.Equal("not json {", (string)broken["body"]!);
    }

    [Fact]
    public async Task A_redirect_on_the_same_scheme_is_followed_and_one_to_another_scheme_is_not()
    {
        await using var server = await LoopbackHttpServer.StartAsync(async (context, request) =>
        {
            switch (request.Path)
            {
                case "/old":
                    context.Response.Redirect("/new");
                    break;
                case "/tls":
                    context.Response.Redirect("https://127.0.0.1:1/secure");
                    break;
                default:
                    await context.Response.WriteAsync("here");
                    break;
            }
        });

        var followed = (await RunAsync(new JsonObject { ["url"] = server.At("/old").ToString() }))!;
        var error = await Assert.ThrowsAsync<BpmnErrorException>(() => RunAsync(new JsonObject { ["url"] = server.At("/tls").ToString() }));

        Assert.Equal("here", (string)followed["body"]!);
        Assert.Equal(["/old", "/new", "/tls"], server.Requests.Select(r => r.Path));
        Assert.Equal("HTTP_302", error.ErrorCode);
        Assert.Contains("not followed", error.Message);
    }

    [Theory]
    [InlineData("""{"url":"not a url"}""", "not an absolute URL")]
    [InlineData("""{"url":"file:///etc/passwd"}""", "http:// or https://")]
    [InlineData("""{"url":"ftp://127.0.0.1/x"}""", "http:// or https://")]
    [InlineData("""{"url":"http://user:pw@127.0.0.1/"}""", "user name or password")]
    [InlineData("""{"url":"http://127.0.0.1:1/","headers":{"Bad Name":"x"}}""", "not a valid header name")]
    [InlineData("""{"url":"http://127.0.0.1:1/","headers":{"X-A:":"x"}}""", "not a valid header name")]
    [InlineData("""{"url":"http://127.0.0.1:1/","headers":{"X-A\n":"x"}}""", "not a valid header name")]
    [InlineData("""{"url":"http://127.0.0.1:1/","headers":{"X-A":"a\r\nX-Injected: 1"}}""", "line break")]
    [InlineData("""{"url":"http://127.0.0.1:1/","headers":{"X-A":{"nested":1}}}""", "must be a string")]
    [InlineData("""{"url":"http://127.0.0.1:1/","headers":{"Host":"evil"}}""", "set by the HTTP client")]
    [InlineData("""{"url":"http://127.0.0.1:1/","expectStatus":"9xx"}""", "expectStatus")]
    [InlineData("""{"url":"http://127.0.0.1:1/","expectStatus":[true]}""", "expectStatus")]
    [InlineData("""{"url":"http://127.0.0.1:1/","contentType":"nonsense","body":"x"}""", "not a content type")]
    [InlineData("""{"url":"http://127.0.0.1:1/","retries":99}""", "retries")]
    [InlineData("""{"url":"http://127.0.0.1:1/","method":"TRACE"}""", "must be one of")]
    [InlineData("""{"url":"http://127.0.0.1:1/","timeout":"soon"}""", "ISO 8601")]
    [InlineData("""{"url":"http://127.0.0.1:1/","credential":"box"}""", "needs a 'webhook' credential")]
    [InlineData("""{"url":"http://127.0.0.1:1/","credential":"nobody"}""", "no credential named")]
    [InlineData("""{"url":"http://127.0.0.1:1/","credential":"api","headers":{"Authorization":"x"}}""", "not both")]
    [InlineData("""{}""", "'url' is required")]
    public async Task Garbage_inputs_get_a_clear_error_before_anything_is_sent(string inputs, string expected)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(JsonNode.Parse(inputs)!.AsObject()));

        Assert.IsNotType<HttpRequestException>(error);
        Assert.Contains(expected, error.Message);
    }
}
