using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WeOps.Activities.Credentials;
using WeOps.Activities.Http;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Notify;

public enum ChatPlatform
{
    [OptionLabel("DingTalk", "钉钉")]
    Dingtalk,

    [OptionLabel("Feishu", "飞书")]
    Feishu,

    [OptionLabel("WeCom", "企业微信")]
    Wecom,

    [OptionLabel("Slack", "Slack")]
    Slack,

    [OptionLabel("Any webhook (JSON)", "任意 Webhook（JSON）")]
    Generic,
}

/// <summary>The platform answered, but did not accept the message. <see cref="Code"/> is the platform's
/// own error code (DingTalk/WeCom <c>errcode</c>, Feishu <c>code</c>, Slack's error text, or the HTTP status).</summary>
public sealed class WebhookRejectedException(string platform, string code, string message)
    : Exception($"{platform} rejected the notification: {code}: {message}")
{
    public string Platform { get; } = platform;
    public string Code { get; } = code;
}

/// <summary>Posts a message to a chat group's incoming webhook in that platform's own format, signed
/// when the credential holds a secret. A rejection is a technical failure (retried by the engine:
/// rate limits pass), carrying the platform's error code.</summary>
[Executor("notify.webhook", DisplayName = "Chat notification", Category = "Notify",
    DisplayNameZh = "群聊通知", Summary = "Posts a message to a DingTalk, Feishu, WeCom or Slack group robot.",
    SummaryZh = "向钉钉、飞书、企业微信或 Slack 群机器人发送消息。",
    DescriptionZh = "向钉钉、飞书、企业微信或 Slack 群机器人发送消息，或以 JSON 发送到任意 Webhook。",
    Description = "Sends a message to a DingTalk, Feishu, WeCom or Slack group robot, or to any webhook as JSON.")]
[Output("platform", Type = "string", Description = "The platform the message went to.")]
[Output("status", Type = "integer", Description = "The HTTP status of the platform's answer.")]
[Output("response", Description = "The platform's answer: JSON when it is JSON, else text (at most 4 KiB).")]
public sealed class WebhookNotifyExecutor(OutboundHttp http, ICredentialStore credentials, TimeProvider? clock = null)
    : Executor<WebhookNotifyExecutor.Inputs>
{
    private const string Type = "notify.webhook";
    private const int MaxTextChars = 20_000;
    private const int MaxBodyBytes = 64 * 1024;
    private const int MaxMentions = 50;
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    public sealed record Inputs
    {
        [Input(Description = "Which chat platform the webhook belongs to.", Required = true, DescriptionZh = "Webhook 所属的聊天平台。")]
        public ChatPlatform Platform { get; init; }

        [Input(Description = "The webhook address; leave empty when the credential holds it (a DingTalk or WeCom address carries its token). "
            + "A ${...} after its start is percent-encoded, as in http.request's url.", Syntax = InputSyntax.Url, DescriptionZh = "Webhook 地址；凭据中已有时留空（钉钉、企业微信的地址自带 token）。地址开头之后的 ${...} 会做百分号编码。")]
        public string? Url { get; init; }

        [Input(Description = "A webhook credential: 'url' (optional) and 'secret' (signing key; optional).", UiHint = "credential", DescriptionZh = "Webhook 凭据：'url'（可选）和 'secret'（签名密钥，可选）。")]
        public string? Credential { get; init; }

        [Input(Description = "Title. With a title the message is sent as markdown (Feishu: rich text post).", DescriptionZh = "标题。有标题时以 markdown 发送（飞书：富文本 post）。")]
        public string? Title { get; init; }

        [Input(Description = "The message: markdown with a title, plain text without.", UiHint = "multiline", DescriptionZh = "消息内容：有标题时为 markdown，否则为纯文本。")]
        public string? Text { get; init; }

        [Input(Description = "Who to mention: user ids, mobile numbers (DingTalk, WeCom), or \"all\".", DescriptionZh = "要 @ 的人：用户 ID、手机号（钉钉、企业微信）或 \"all\"。")]
        public List<string>? Mentions { get; init; }

        [Input(Description = "Generic platform only: the JSON body to send as it is.", UiHint = "json", DescriptionZh = "仅限通用平台：原样发送的 JSON 请求体。")]
        public JsonNode? Payload { get; init; }

        [Input(Description = "Time allowed for the platform to answer, ISO 8601.", Default = "PT15S", DescriptionZh = "等待平台应答的时间，ISO 8601 格式。")]
        public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);
    }

    protected override async Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken)
    {
        var platform = inputs.Platform;
        var name = Name(platform);
        var notification = Describe(inputs);
        Credential? credential = null;
        if (!string.IsNullOrWhiteSpace(inputs.Credential))
            credential = (await credentials.GetAsync(inputs.Credential, cancellationToken)).Expect(CredentialKind.Webhook);
        var url = HttpTarget.ParseUrl(Type, "url", string.IsNullOrWhiteSpace(inputs.Url) ? credential?.Optional("url") : inputs.Url);
        var secret = credential?.Optional("secret");
        if (inputs.Timeout <= TimeSpan.Zero)
            throw new ExecutorInputException($"{Type}: 'timeout' must be longer than zero.");

        var now = clock.GetUtcNow();
        JsonNode body = platform switch
        {
            ChatPlatform.Dingtalk => WebhookMessages.DingTalk(notification),
            ChatPlatform.Feishu => WebhookMessages.Feishu(notification),
            ChatPlatform.Wecom => WebhookMessages.WeCom(notification),
            ChatPlatform.Slack => WebhookMessages.Slack(notification),
            _ => WebhookMessages.Generic(notification, inputs.Payload),
        };
        if (secret is not null && platform == ChatPlatform.Dingtalk)
        {
            var timestamp = now.ToUnixTimeMilliseconds();
            url = AppendQuery(url, $"timestamp={timestamp}&sign={Uri.EscapeDataString(WebhookSigning.DingTalk(secret, timestamp))}");
        }
        else if (secret is not null && platform == ChatPlatform.Feishu)
        {
            var timestamp = now.ToUnixTimeSeconds();
            body["timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture);
            body["sign"] = WebhookSigning.Feishu(secret, timestamp);
        }

        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        if (bytes.Length > MaxBodyBytes)
            throw new ExecutorInputException($"{Type}: the message is {bytes.Length} bytes as JSON; at most {MaxBodyBytes} can be sent.");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (secret is not null && platform == ChatPlatform.Generic)
        {
            var timestamp = now.ToUnixTimeSeconds();
            request.Headers.Add(WebhookSigning.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSigning.SignatureHeader, WebhookSigning.Generic(secret, timestamp, bytes));
        }

        // Webhook paths and queries carry tokens (Feishu, Slack, WeCom, DingTalk): only the host is shown.
        var where = url.GetLeftPart(UriPartial.Authority);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(inputs.Timeout);
        HttpResponseMessage response;
        ResponseBody answer;
        try
        {
            response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            answer = await ResponseBody.ReadAsync(response, 4096, timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{name} webhook at {where} gave no answer within {inputs.Timeout.TotalSeconds:0.###} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException(e.HttpRequestError, $"{name} webhook at {where}: {e.Message}", e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var text = answer.Text;
            var json = TryParse(text);
            Check(platform, name, status, text, json);
            context.Logger.LogInformation("{Platform} notification delivered to {Host} ({Status})", name, where, status);
            return new JsonObject
            {
                ["platform"] = platform.ToString().ToLowerInvariant(),
                ["status"] = status,
                ["response"] = json?.DeepClone() ?? text,
            };
        }
    }

    private static Notification Describe(Inputs inputs)
    {
        var title = string.IsNullOrWhiteSpace(inputs.Title) ? null : inputs.Title.Trim();
        var text = inputs.Text ?? "";
        if (inputs.Platform != ChatPlatform.Generic && inputs.Payload is not null)
            throw new ExecutorInputException($"{Type}: 'payload' is for the generic platform; {Name(inputs.Platform)} takes 'title' and 'text'.");
        if (inputs.Platform == ChatPlatform.Generic ? inputs.Payload is null && text.Length == 0 && title is null : string.IsNullOrWhiteSpace(text))
            throw new ExecutorInputException($"{Type}: 'text' is required{(inputs.Platform == ChatPlatform.Generic ? " (or 'payload')" : "")}.");
        if (text.Length > MaxTextChars)
            throw new ExecutorInputException($"{Type}: 'text' is {text.Length} characters; at most {MaxTextChars} can be sent.");
        if (title?.Length > 500)
            throw new ExecutorInputException($"{Type}: 'title' is longer than 500 characters.");
        var mentions = (inputs.Mentions ?? []).Select(m => m?.Trim() ?? "").Where(m => m.Length > 0).ToList();
        if (mentions.Count > MaxMentions)
            throw new ExecutorInputException($"{Type}: at most {MaxMentions} mentions, got {mentions.Count}.");
        var bad = mentions.FirstOrDefault(m => m.Length > 100 || m.Any(c => char.IsControl(c) || c is '<' or '>' or '"'));
        if (bad is not null)
            throw new ExecutorInputException($"{Type}: mention '{HttpTarget.Excerpt(bad, 40)}' is not a user id, mobile number or \"all\".");
        return new Notification(title, text, mentions);
    }

    /// <summary>Fails unless the answer is the platform's success.</summary>
    private static void Check(ChatPlatform platform, string name, int status, string text, JsonNode? json)
    {
        switch (platform)
        {
            case ChatPlatform.Dingtalk or ChatPlatform.Wecom when json is JsonObject o && o["errcode"] is JsonValue code:
                if (code.ToString() != "0")
                    throw new WebhookRejectedException(name, code.ToString(), Message(o["errmsg"]));
                break;
            case ChatPlatform.Feishu when json is JsonObject o && (o["code"] ?? o["StatusCode"]) is JsonValue code:
                if (code.ToString() != "0")
                    throw new WebhookRejectedException(name, code.ToString(), Message(o["msg"] ?? o["StatusMessage"]));
                break;
            case ChatPlatform.Slack:
                // Slack answers 200 "ok", or a 4xx status with an error name such as invalid_payload.
                if (status != 200 || text.Trim() != "ok")
                    throw new WebhookRejectedException(name, status == 200 ? "unexpected_answer" : HttpTarget.Excerpt(text.Trim(), 60), $"HTTP {status}");
                break;
            case ChatPlatform.Generic when status is >= 200 and < 300:
                break;
            default:
                throw new WebhookRejectedException(name, $"HTTP {status}",
                    status is >= 200 and < 300 ? $"not a {name} answer: {HttpTarget.Excerpt(text, 200)}" : HttpTarget.Excerpt(text, 200));
        }

        if (status is < 200 or >= 300)
            throw new WebhookRejectedException(name, $"HTTP {status}", HttpTarget.Excerpt(text, 200));
    }

    private static string Message(JsonNode? node) => HttpTarget.Excerpt(node?.ToString() ?? "(no message)", 200);

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Uri AppendQuery(Uri url, string query) =>
        new UriBuilder(url) { Query = url.Query.Length > 1 ? url.Query[1..] + "&" + query : query }.Uri;

    private static string Name(ChatPlatform platform) => platform switch
    {
        ChatPlatform.Dingtalk => "DingTalk",
        ChatPlatform.Feishu => "Feishu",
        ChatPlatform.Wecom => "WeCom",
        ChatPlatform.Slack => "Slack",
        _ => "Webhook",
    };
}
