using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Activities.Credentials;
using WeOps.Activities.Http;
using WeOps.Activities.Notify;
using WeOps.Activities.Tests.Http;
using WeOps.Activities.Tests.Support;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Notify;

public sealed class WebhookNotifyExecutorTests : IDisposable
{
    private const string Secret = "SECexample0123456789";
    private const string Token = "a1b2c3d4e5f6";

    // Expected signatures for Secret at 2023-11-14T22:13:20Z, computed independently with Python's
    // hmac/hashlib (the vendors' documentation gives the algorithm but no worked example with values):
    //   base64(hmac(secret, f"{ms}\n{secret}"))          DingTalk, ms = 1700000000000
    //   base64(hmac(f"{s}\n{secret}", b""))               Feishu, s = 1700000000
    //   hmac(secret, b'1700000000.{"a":1}').hexdigest()   generic: timestamp in seconds, a dot, the body
    private const string DingTalkSign = "figG6qqCA/lRh0hsGCW2zNtNV5znkAFut5BI0zKhqnQ=";
    private const string FeishuSign = "S7TuSij45SE3ul/eGkJ5Bwcxf8ZNyPIQzqpjNU85VYk=";
    private const string GenericSignature = "sha256=e48851a6b387e5e7f34665bcf28d3ab63bb28edf12f099e91d987502cbfef736";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    private readonly OutboundHttp http = new(TestOutbound.LoopbackAllowed);
    private readonly InMemoryCredentialStore credentials = new();
    private readonly WebhookNotifyExecutor executor;

    public WebhookNotifyExecutorTests()
    {
        credentials.Add(new Credential("signing", CredentialKind.Webhook, new Dictionary<string, string> { ["secret"] = Secret }));
        credentials.Add(new Credential("ssh", CredentialKind.Ssh, new Dictionary<string, string> { ["username"] = "u" }));
        executor = new WebhookNotifyExecutor(http, credentials, new FixedClock(Now));
    }

    public void Dispose() => http.Dispose();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private Task<JsonNode?> RunAsync(JsonObject inputs) =>
        executor.ExecuteAsync(JsonNode.Parse(inputs.ToJsonString())!.AsObject(), new ExecutorContext("i-1", "notify", 1, NullLogger.Instance, new InMemoryLargeOutputStore()), CancellationToken.None);

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {JsonNode.Parse(expected)!.ToJsonString()}\n     got {actual.ToJsonString()}");

    [Fact]
    public void Signatures_match_independently_computed_values()
    {
        Assert.Equal(DingTalkSign, WebhookSigning.DingTalk(Secret, 1700000000000));
        Assert.Equal(FeishuSign, WebhookSigning.Feishu(Secret, 1700000000));
        Assert.Equal(GenericSignature, WebhookSigning.Generic(Secret, 1700000000, """{"a":1}"""u8));
    }

    [Fact]
    public async Task DingTalk_text_is_signed_in_the_query_and_mentions_mobiles_and_users()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, """{"errcode":0,"errmsg":"ok"}""");
        credentials.Add(new Credential("ding", CredentialKind.Webhook, new Dictionary<string, string>
        {
            ["url"] = server.At($"/robot/send?access_token={Token}").ToString(),
            ["secret"] = Secret,
        }));

        var output = (await RunAsync(new JsonObject
        {
            ["platform"] = "dingtalk",
            ["credential"] = "ding",
            ["text"] = "disk full on web-1",
            ["mentions"] = new JsonArray("13800000000", "manager01"),
        }))!;

        var request = server.Single();
        Assert.Equal("/robot/send", request.Path);
        Assert.Equal(Token, request.QueryValue("access_token"));
        Assert.Equal("1700000000000", request.QueryValue("timestamp"));
        Assert.Equal(DingTalkSign, request.QueryValue("sign"));
        AssertJson("""
            {"msgtype":"text","text":{"content":"disk full on web-1\n@13800000000 @manager01"},
             "at":{"atMobiles":["13800000000"],"atUserIds":["manager01"],"isAtAll":false}}
            """, request.Json);
        Assert.Equal("application/json; charset=utf-8", request.Header("content-type"));
        Assert.Equal("dingtalk", (string)output["platform"]!);
        Assert.Equal(0, (int)output["response"]!["errcode"]!);
    }

    [Fact]
    public async Task DingTalk_with_a_title_is_markdown_and_all_is_at_all()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, """{"errcode":0,"errmsg":"ok"}""");

        await RunAsync(new JsonObject
        {
            ["platform"] = "dingtalk",
            ["url"] = server.At($"/robot/send?access_token={Token}").ToString(),
            ["title"] = "Incident INC-7",
            ["text"] = "**web-1** is down",
            ["mentions"] = new JsonArray("all"),
        });

        var request = server.Single();
        Assert.Null(request.QueryValue("sign"));
        AssertJson("""
            {"msgtype":"markdown","markdown":{"title":"Incident INC-7","text":"### Incident INC-7\n\n**web-1** is down"},
             "at":{"atMobiles":[],"atUserIds":[],"isAtAll":true}}
            """, request.Json);
    }

    [Fact]
    public async Task Feishu_text_carries_timestamp_and_sign_in_the_body()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, """{"code":0,"msg":"success","data":{}}""");

        await RunAsync(new JsonObject
        {
            ["platform"] = "feishu",
            ["url"] = server.At("/open-apis/bot/v2/hook/" + Token).ToString(),
            ["credential"] = "signing",
            ["text"] = "deploy finished",
            ["mentions"] = new JsonArray("ou_123", "@all"),
        });

        AssertJson($$"""
            {"msg_type":"text","content":{"text":"deploy finished\n<at user_id=\"ou_123\"></at> <at user_id=\"all\"></at>"},
             "timestamp":"1700000000","sign":"{{FeishuSign}}"}
            """, server.Single().Json);
    }

    [Fact]
    public async Task Feishu_with_a_title_is_a_rich_text_post()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, """{"StatusCode":0,"StatusMessage":"success"}""");

        await RunAsync(new JsonObject
        {
            ["platform"] = "feishu",
            ["url"] = server.Url.ToString(),
            ["title"] = "Change CHG-3",
            ["text"] = "approved\nstarts at 22:00",
            ["mentions"] = new JsonArray("ou_9"),
        });

        AssertJson("""
            {"msg_type":"post","content":{"post":{"zh_cn":{"title":"Change CHG-3","content":[
              [{"tag":"text","text":"approved"}],
              [{"tag":"text","text":"starts at 22:00"}],
              [{"tag":"at","user_id":"ou_9"}]]}}}}
            """, server.Single().Json);
    }

    [Fact]
    public async Task WeCom_text_mentions_by_user_id_and_mobile()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, """{"errcode":0,"errmsg":"ok"}""");

        await RunAsync(new JsonObject
        {
            ["platform"] = "wecom",
            ["url"] = server.At("/cgi-bin/webhook/send?key=" + Token).ToString(),
            ["text"] = "backup failed",
            ["mentions"] = new JsonArray("zhangsan", "13800000000", "all"),
        });

        AssertJson("""
            {"msgtype":"text","text":{"content":"backup failed","mentioned_list":["zhangsan","@all"],"mentioned_mobile_list":["13800000000"]}}
            """, server.Single().Json);
        Assert.Equal(Token, server.Single().QueryValue("key"));
    }

    [Fact]
    public async Task WeCom_with_a_title_is_markdown()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, """{"errcode":0,"errmsg":"ok"}""");

        await RunAsync(new JsonObject
        {
            ["platform"] = "wecom",
            ["url"] = server.Url.ToString(),
            ["title"] = "Alert",
            ["text"] = "> cpu 99%",
            ["mentions"] = new JsonArray("lisi"),
        });

        AssertJson("""{"msgtype":"markdown","markdown":{"content":"### Alert\n> cpu 99%\n<@lisi>"}}""", server.Single().Json);
    }

    [Fact]
    public async Task Slack_gets_text_and_with_a_title_header_and_section_blocks()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, "ok", "text/plain");

        await RunAsync(new JsonObject { ["platform"] = "slack", ["url"] = server.Url.ToString(), ["text"] = "hello", ["mentions"] = new JsonArray("U024BE7LH") });
        var output = (await RunAsync(new JsonObject { ["platform"] = "slack", ["url"] = server.Url.ToString(), ["title"] = "Outage", ["text"] = "*db* down", ["mentions"] = new JsonArray("here") }))!;

        var requests = server.Requests.ToArray();
        AssertJson("""{"text":"hello\n<@U024BE7LH>"}""", requests[0].Json);
        AssertJson("""
            {"text":"*Outage*\n*db* down\n<!here>","blocks":[
              {"type":"header","text":{"type":"plain_text","text":"Outage"}},
              {"type":"section","text":{"type":"mrkdwn","text":"*db* down\n<!here>"}}]}
            """, requests[1].Json);
        Assert.Equal("ok", (string)output["response"]!);
    }

    [Fact]
    public async Task Generic_sends_the_payload_as_given_with_an_hmac_of_the_timestamp_and_the_exact_body()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(204, "");

        var output = (await RunAsync(new JsonObject
        {
            ["platform"] = "generic",
            ["url"] = server.At("/hooks/ops").ToString(),
            ["credential"] = "signing",
            ["payload"] = new JsonObject { ["a"] = 1 },
        }))!;

        var request = server.Single();
        Assert.Equal("""{"a":1}""", request.BodyText);
        Assert.Equal("1700000000", request.Header("x-weops-timestamp"));
        Assert.Equal(GenericSignature, request.Header("x-weops-signature"));
        Assert.Equal(204, (int)output["status"]!);
    }

    [Fact]
    public async Task Generic_without_a_payload_sends_title_text_and_mentions_unsigned()
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(200, "{}");

        await RunAsync(new JsonObject { ["platform"] = "generic", ["url"] = server.Url.ToString(), ["title"] = "T", ["text"] = "body", ["mentions"] = new JsonArray("ops") });

        AssertJson("""{"title":"T","text":"body","mentions":["ops"]}""", server.Single().Json);
        Assert.Null(server.Single().Header("x-weops-signature"));
        Assert.Null(server.Single().Header("x-weops-timestamp"));
    }

    [Theory]
    [InlineData("dingtalk", 200, """{"errcode":310000,"errmsg":"sign not match"}""", "310000", "sign not match")]
    [InlineData("wecom", 200, """{"errcode":93000,"errmsg":"invalid webhook url"}""", "93000", "invalid webhook url")]
    [InlineData("feishu", 200, """{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time","data":{}}""", "19021", "sign match fail")]
    [InlineData("feishu", 400, """{"code":9499,"msg":"Bad Request"}""", "9499", "Bad Request")]
    [InlineData("slack", 400, "invalid_payload", "invalid_payload", "HTTP 400")]
    [InlineData("slack", 404, "no_service", "no_service", "HTTP 404")]
    [InlineData("dingtalk", 502, "<html>bad gateway</html>", "HTTP 502", "bad gateway")]
    [InlineData("generic", 500, "boom", "HTTP 500", "boom")]
    public async Task Platform_error_replies_fail_with_the_platform_code(string platform, int status, string reply, string code, string message)
    {
        await using var server = await LoopbackHttpServer.AnsweringAsync(status, reply);

        var error = await Assert.ThrowsAsync<WebhookRejectedException>(() => RunAsync(new JsonObject
        {
            ["platform"] = platform,
            ["url"] = server.At($"/hook/{Token}?access_token={Token}").ToString(),
            ["text"] = "x",
        }));

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain(Token, error.Message);
    }

    [Fact]
    public async Task An_unresponsive_webhook_times_out_without_showing_its_token()
    {
        await using var server = await LoopbackHttpServer.StartAsync(async (context, _) => await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => RunAsync(new JsonObject
        {
            ["platform"] = "wecom",
            ["url"] = server.At("/send?key=" + Token).ToString(),
            ["text"] = "x",
            ["timeout"] = "PT0.3S",
        }));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.DoesNotContain(Token, error.Message);
    }

    [Theory]
    [InlineData("""{"platform":"slack","text":"x"}""", "'url' is required")]
    [InlineData("""{"platform":"slack","text":"x","url":"file:///etc/passwd"}""", "http:// or https://")]
    [InlineData("""{"platform":"slack","text":"x","url":"::nonsense"}""", "not an absolute URL")]
    [InlineData("""{"platform":"slack","url":"http://127.0.0.1:1/"}""", "'text' is required")]
    [InlineData("""{"platform":"generic","url":"http://127.0.0.1:1/"}""", "'text' is required")]
    [InlineData("""{"platform":"slack","text":"x","url":"http://127.0.0.1:1/","payload":{"a":1}}""", "generic platform")]
    [InlineData("""{"platform":"slack","text":"x","url":"http://127.0.0.1:1/","mentions":["<!everyone>"]}""", "is not a user id")]
    [InlineData("""{"platform":"slack","text":"x","url":"http://127.0.0.1:1/","mentions":"bob"}""", "must be an array")]
    [InlineData("""{"platform":"teams","text":"x","url":"http://127.0.0.1:1/"}""", "must be one of")]
    [InlineData("""{"platform":"slack","text":"x","url":"http://127.0.0.1:1/","credential":"ssh"}""", "needs a 'webhook' credential")]
    [InlineData("""{"text":"x","url":"http://127.0.0.1:1/"}""", "'platform' is required")]
    public async Task Garbage_inputs_get_a_clear_error_before_anything_is_sent(string inputs, string expected)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync(JsonNode.Parse(inputs)!.AsObject()));

        Assert.IsNotType<HttpRequestException>(error);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Text_longer_than_the_limit_is_refused()
    {
        var error = await Assert.ThrowsAsync<ExecutorInputException>(() => RunAsync(new JsonObject
        {
            ["platform"] = "dingtalk",
            ["url"] = "http://127.0.0.1:1/",
            ["text"] = new string('x', 20_001),
        }));

        Assert.Contains("at most 20000", error.Message);
    }
}
