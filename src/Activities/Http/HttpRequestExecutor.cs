using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WeOps.Activities.Credentials;
using WeOps.Activities.Network;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Http;

public enum HttpVerb
{
    [OptionLabel("GET", "GET（读取）")]
    Get,

    [OptionLabel("POST", "POST（提交）")]
    Post,

    [OptionLabel("PUT", "PUT（替换）")]
    Put,

    [OptionLabel("PATCH", "PATCH（部分修改）")]
    Patch,

    [OptionLabel("DELETE", "DELETE（删除）")]
    Delete,

    [OptionLabel("HEAD", "HEAD（仅响应头）")]
    Head,

    [OptionLabel("OPTIONS", "OPTIONS（查询支持的方法）")]
    Options,
}

/// <summary>Calls an HTTP API. An answer outside <c>expectStatus</c> is the BPMN error
/// <c>HTTP_&lt;status&gt;</c>; a connection failure or a timeout, once the retries are spent, is a
/// technical failure. A webhook credential's <c>secret</c> goes out as a bearer token.</summary>
[Executor("http.request", DisplayName = "HTTP request", Category = "Integration",
    DisplayNameZh = "HTTP 请求", Summary = "Calls an HTTP API and returns its status, headers and body.",
    SummaryZh = "调用 HTTP 接口，返回状态码、响应头和响应体。",
    DescriptionZh = "调用 HTTP 接口并返回状态码、响应头和响应体。非预期的状态码会抛出 BPMN 错误 HTTP_<状态码>。",
    Description = "Calls an HTTP API and returns its status, headers and body. An unexpected status raises the BPMN error HTTP_<status>.")]
[Output("status", Type = "integer", Description = "The response status code.")]
[Output("headers", Type = "object", Description = "Response headers, names in lower case, repeated values joined with ', '.")]
[Output("body", Description = "The response body: parsed when it is JSON, else text; cut at maxResponseBytes.")]
[Output("durationMs", Type = "integer", Description = "Time from the first attempt to the last byte, in milliseconds.")]
[Output("bodyTruncated", Type = "boolean", Description = "Present and true when the body was longer than maxResponseBytes.")]
[Output("bodyRef", Type = "string", Description = "When the body was cut: the reference of the whole body in the output store.")]
public sealed class HttpRequestExecutor(OutboundHttp http, ICredentialStore credentials) : Executor<HttpRequestExecutor.Inputs>
{
    private const string Type = "http.request";
    private const int MaxRedirects = 5;
    private const int MaxRetries = 10;

    /// <summary>The most of a body kept at all (in the output store); beyond it the answer is cut off.</summary>
    private const int StoredBodyLimit = 32 * 1024 * 1024;

    private static readonly HashSet<string> ClientHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer", "keep-alive", "proxy-connection",
    };

    public sealed record Inputs
    {
        [Input(Description = "HTTP method.", Default = "get", DescriptionZh = "HTTP 方法。")]
        public HttpVerb Method { get; init; } = HttpVerb.Get;

        [Input(Description = "Absolute http:// or https:// address. A ${...} in its path or query is percent-encoded as one component; "
            + "one that begins the address is its base (${baseUrl}/items/${id}); ${raw(expr)} splices URL text as it is (the validator warns).",
            Required = true, Syntax = InputSyntax.Url, DescriptionZh = "以 http:// 或 https:// 开头的完整地址。路径或查询中的 ${...} 作为一个组成部分做百分号编码；位于地址开头的作为基地址。")]
        public string Url { get; init; } = "";

        [Input(Description = "Request headers: an object of header name to value.", UiHint = "json", DescriptionZh = "请求头：头名称到值的对象。")]
        public JsonObject? Headers { get; init; }

        [Input(Description = "Query parameters added to the URL: name to value, or to an array of values.", UiHint = "json", DescriptionZh = "附加到 URL 的查询参数：名称到值，或到值的数组。")]
        public JsonObject? Query { get; init; }

        [Input(Description = "Request body. An object, array, number or boolean is sent as JSON; a string as text, or as contentType says. With application/x-www-form-urlencoded an object is sent as a form.", UiHint = "json", DescriptionZh = "请求体。对象、数组、数字或布尔值以 JSON 发送；字符串以文本发送，或按 contentType 发送。")]
        public JsonNode? Body { get; init; }

        [Input(Description = "Content type of the body (default: application/json, or text/plain for a string).", DescriptionZh = "请求体的内容类型（默认：application/json，字符串为 text/plain）。")]
        public string? ContentType { get; init; }

        [Input(Description = "Time allowed for each attempt, ISO 8601. The step's own timeout still bounds the whole.", Default = "PT30S", DescriptionZh = "每次尝试的时间上限，ISO 8601 格式。整体仍受步骤自身超时限制。")]
        public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

        [Input(Description = "Statuses that count as success: numbers, classes like \"2xx\" or ranges like \"200-204\".", UiHint = "json", Default = "[\"2xx\"]", DescriptionZh = "视为成功的状态码：数字、\"2xx\" 这样的类别或 \"200-204\" 这样的范围。")]
        public JsonNode? ExpectStatus { get; init; }

        [Input(Description = "Further attempts after a 5xx answer, a refused connection or an attempt that timed out (also for POST).", Default = "2", DescriptionZh = "遇到 5xx 应答、连接被拒或尝试超时时的额外重试次数（POST 也重试）。")]
        public int Retries { get; init; } = 2;

        [Input(Description = "Bytes of the body kept in the output; a longer body is cut there and stored whole in the output store.", Default = "1048576", DescriptionZh = "输出中保留的响应体字节数；更长的响应体在此截断，完整内容存入输出存储。")]
        public int MaxResponseBytes { get; init; } = 1024 * 1024;

        [Input(Description = "Follow redirects (at most 5), never to another scheme; headers and credential go only to the origin of 'url'.", Default = "true", DescriptionZh = "跟随重定向（最多 5 次），不切换协议；请求头和凭据只发给 'url' 的源站。")]
        public bool FollowRedirects { get; init; } = true;

        [Input(Description = "A webhook credential: its 'secret' is sent as 'Authorization: Bearer <secret>'.", UiHint = "credential", DescriptionZh = "Webhook 凭据：其 'secret' 以 'Authorization: Bearer <secret>' 发送。")]
        public string? Credential { get; init; }
    }

    protected override async Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken)
    {
        var url = WithQuery(HttpTarget.ParseUrl(Type, "url", inputs.Url), inputs.Query);
        var method = new HttpMethod(inputs.Method.ToString().ToUpperInvariant());
        var expect = StatusExpectation.Parse(inputs.ExpectStatus);
        if (inputs.Retries is < 0 or > MaxRetries)
            throw new ExecutorInputException($"{Type}: 'retries' must be between 0 and {MaxRetries}, got {inputs.Retries}.");
        if (inputs.MaxResponseBytes is < 0 or > StoredBodyLimit)
            throw new ExecutorInputException($"{Type}: 'maxResponseBytes' must be between 0 and {StoredBodyLimit}, got {inputs.MaxResponseBytes}.");
        if (inputs.Timeout <= TimeSpan.Zero)
            throw new ExecutorInputException($"{Type}: 'timeout' must be longer than zero.");
        var headers = ReadHeaders(inputs.Headers);
        var contentType = ContentTypeOf(inputs, headers);
        var body = EncodeBody(inputs.Body, contentType);

        string? bearer = null;
        if (!string.IsNullOrWhiteSpace(inputs.Credential))
        {
            if (headers.Any(h => h.Name.Equals("authorization", StringComparison.OrdinalIgnoreCase)))
                throw new ExecutorInputException($"{Type}: give an Authorization header or a credential, not both.");
            var credential = (await credentials.GetAsync(inputs.Credential, cancellationToken)).Expect(CredentialKind.Webhook);
            bearer = credential.Require("secret");
        }

        var request = new Request(method, url, headers, body, bearer, inputs.FollowRedirects);
        var stopwatch = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            var last = attempt == inputs.Retries;
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(inputs.Timeout);
            try
            {
                using var response = await SendAsync(request, attemptTimeout.Token);
                var status = (int)response.StatusCode;
                if (!expect.Accepts(status) && status >= 500 && !last)
                {
                    context.Logger.LogWarning("{Method} {Url} answered {Status}; attempt {Attempt} of {Attempts}", method, HttpTarget.Describe(url), status, attempt + 1, inputs.Retries + 1);
                    await Task.Delay(Backoff(attempt), cancellationToken);
                    continue;
                }

                var read = await ResponseBody.ReadAsync(response, StoredBodyLimit, attemptTimeout.Token);
                context.Logger.LogInformation("{Method} {Url} answered {Status} in {Ms} ms", method, HttpTarget.Describe(url), status, stopwatch.ElapsedMilliseconds);
                if (!expect.Accepts(status))
                {
                    throw new BpmnErrorException($"HTTP_{status}",
                        $"{method} {HttpTarget.Describe(url)} answered {status} {response.ReasonPhrase}, expected {expect.Text}{Location(response)}: {HttpTarget.Excerpt(read.Prefix(400), 200)}");
                }

                return await OutputAsync(response, read, inputs.MaxResponseBytes, stopwatch, context, cancellationToken);
            }
            // The policy's answer does not change on a retry.
            catch (HttpRequestException e) when (OutboundRefusedException.Within(e) is { } refused)
            {
                throw new OutboundRefusedException($"{method} {HttpTarget.Describe(url)}: {refused.Message}");
            }
            // IOException: the connection broke while the body was being read.
            catch (Exception e) when ((e is HttpRequestException or IOException) && !last)
            {
                context.Logger.LogWarning("{Method} {Url} failed ({Error}); attempt {Attempt} of {Attempts}", method, HttpTarget.Describe(url), e.GetType().Name, attempt + 1, inputs.Retries + 1);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                throw new HttpRequestException((e as HttpRequestException)?.HttpRequestError ?? HttpRequestError.ResponseEnded,
                    $"{method} {HttpTarget.Describe(url)} failed after {attempt + 1} attempt(s): {e.Message}", e);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !last)
            {
                context.Logger.LogWarning("{Method} {Url} gave no answer within {Timeout}; attempt {Attempt} of {Attempts}", method, HttpTarget.Describe(url), inputs.Timeout, attempt + 1, inputs.Retries + 1);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{method} {HttpTarget.Describe(url)} gave no complete answer within {inputs.Timeout.TotalSeconds:0.###} s, {attempt + 1} attempt(s).", e);
            }

            await Task.Delay(Backoff(attempt), cancellationToken);
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(2000, 250 * (1 << Math.Min(attempt, 4))));

    private static string Location(HttpResponseMessage response) =>
        response.Headers.Location is { } location && (int)response.StatusCode is >= 300 and < 400
            ? $" (redirect to {(location.IsAbsoluteUri ? HttpTarget.Describe(location) : location.OriginalString)} not followed)"
            : "";

    private sealed record Request(HttpMethod Method, Uri Url, List<(string Name, string Value)> Headers, Func<HttpContent>? Body, string? Bearer, bool FollowRedirects);

    private async Task<HttpResponseMessage> SendAsync(Request request, CancellationToken cancellationToken)
    {
        var method = request.Method;
        var url = request.Url;
        var withBody = request.Body is not null;
        var sameOrigin = true;
        for (var hops = 0; ; hops++)
        {
            using var message = new HttpRequestMessage(method, url);
            if (withBody) message.Content = request.Body!();
            // Any header the step set may carry a credential (X-Api-Key, Cookie, a token of its own
            // name): none of them goes to another origin than the one the step named.
            foreach (var (name, value) in sameOrigin ? request.Headers : [])
            {
                if (message.Headers.TryAddWithoutValidation(name, value)) continue;
                if (message.Content is null)
                    throw new ExecutorInputException($"{Type}: header '{name}' describes a body, and this request has none.");
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }

            if (request.Bearer is not null && sameOrigin)
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", request.Bearer);

            var response = await http.Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (!request.FollowRedirects || status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
                return response;
            var next = location.IsAbsoluteUri ? location : new Uri(url, location);
            if (next.Scheme != url.Scheme) return response;
            if (hops == MaxRedirects)
            {
                response.Dispose();
                throw new HttpRequestException($"more than {MaxRedirects} redirects, the last to {HttpTarget.Describe(next)}");
            }

            response.Dispose();
            // As browsers do: 303 turns into GET, and so do 301/302 after a POST; 307/308 repeat the request.
            if ((status == 303 && method != HttpMethod.Head) || (status is 301 or 302 && method == HttpMethod.Post))
            {
                method = HttpMethod.Get;
                withBody = false;
            }

            // Credentials stay with the origin they were meant for (the scheme is the same, see above).
            if (!string.Equals(next.Authority, url.Authority, StringComparison.OrdinalIgnoreCase)) sameOrigin = false;
            url = next;
        }
    }

    private async Task<JsonObject> OutputAsync(HttpResponseMessage response, ResponseBody read, int maxBytes, Stopwatch stopwatch, ExecutorContext context, CancellationToken cancellationToken)
    {
        var headers = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            headers[name.ToLowerInvariant()] = string.Join(", ", values);

        JsonNode? body;
        var output = new JsonObject { ["status"] = (int)response.StatusCode, ["headers"] = headers };
        if (read.Complete && read.Bytes.Length <= maxBytes)
        {
            body = read.IsJson ? ParseJson(read.Text) : read.Text;
        }
        else
        {
            body = read.Prefix(maxBytes);
            output["bodyTruncated"] = true;
            output["bodyRef"] = await context.LargeOutputs.SaveAsync(context.InstanceId, context.ElementId, "body", read.Text, cancellationToken);
            if (!read.Complete)
                context.Logger.LogWarning("The response body was longer than {Limit} bytes; the rest was not read", StoredBodyLimit);
        }

        output["body"] = body;
        output["durationMs"] = stopwatch.ElapsedMilliseconds;
        return output;
    }

    private static JsonNode? ParseJson(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // A server that labels text as JSON still gets its answer through, as text.
            return text;
        }
    }

    private static Uri WithQuery(Uri url, JsonObject? query)
    {
        if (query is null || query.Count == 0) return url;
        var builder = new StringBuilder(url.Query.Length > 1 ? url.Query[1..] : "");
        foreach (var (name, value) in query)
        {
            var values = value switch
            {
                null => [],
                JsonArray array => array.Select(v => Scalar("query", name, v)).Where(v => v is not null).ToList(),
                _ => [Scalar("query", name, value)],
            };
            foreach (var v in values)
            {
                if (builder.Length > 0) builder.Append('&');
                builder.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(v!));
            }
        }

        return new UriBuilder(url) { Query = builder.ToString() }.Uri;
    }

    private static string? Scalar(string field, string name, JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => throw new ExecutorInputException($"{Type}: '{field}.{name}' must be a string, number or boolean, got {HttpTarget.Excerpt(value.ToJsonString(), 60)}."),
    };

    private static List<(string Name, string Value)> ReadHeaders(JsonObject? headers)
    {
        var list = new List<(string, string)>();
        if (headers is null) return list;
        foreach (var (name, value) in headers)
        {
            if (!HttpTarget.IsHeaderName(name))
                throw new ExecutorInputException($"{Type}: '{HttpTarget.Excerpt(name, 60)}' is not a valid header name.");
            if (ClientHeaders.Contains(name))
                throw new ExecutorInputException($"{Type}: header '{name}' is set by the HTTP client and cannot be given.");
            var text = Scalar("headers", name, value);
            if (text is null) continue;
            // The value is not echoed: it may be a token.
            if (!HttpTarget.IsHeaderValue(text))
                throw new ExecutorInputException($"{Type}: the value of header '{name}' contains a line break or NUL.");
            list.Add((name, text));
        }

        return list;
    }

    private static MediaTypeHeaderValue? ContentTypeOf(Inputs inputs, List<(string Name, string Value)> headers)
    {
        var fromHeaders = headers.FindIndex(h => h.Name.Equals("content-type", StringComparison.OrdinalIgnoreCase));
        var text = inputs.ContentType;
        if (fromHeaders >= 0)
        {
            if (!string.IsNullOrWhiteSpace(text))
                throw new ExecutorInputException($"{Type}: give the content type as 'contentType' or as a Content-Type header, not both.");
            text = headers[fromHeaders].Value;
            headers.RemoveAt(fromHeaders);
        }

        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!MediaTypeHeaderValue.TryParse(text, out var parsed) || parsed.MediaType is null || !parsed.MediaType.Contains('/', StringComparison.Ordinal))
            throw new ExecutorInputException($"{Type}: '{HttpTarget.Excerpt(text, 60)}' is not a content type such as application/json.");
        return parsed;
    }

    private static Func<HttpContent>? EncodeBody(JsonNode? body, MediaTypeHeaderValue? contentType)
    {
        if (body is null) return null;
        if (contentType?.MediaType?.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true && body is JsonObject form)
        {
            var fields = form.Select(f => new KeyValuePair<string, string>(f.Key, Scalar("body", f.Key, f.Value) ?? "")).ToList();
            return () => new FormUrlEncodedContent(fields);
        }

        byte[] bytes;
        MediaTypeHeaderValue type;
        if (body is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            bytes = Encoding.UTF8.GetBytes(value.GetValue<string>());
            type = contentType ?? new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        }
        else
        {
            bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            type = contentType ?? new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        return () =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = type;
            return content;
        };
    }
}
