using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Kubernetes;

/// <summary>What a request is about, for error messages: <c>patch deployment 'web' in namespace 'prod'</c>.</summary>
public sealed record KubernetesTarget(string Verb, string Kind, string? Name, string? Namespace)
{
    /// <summary>Added to a 409 message: what the process author can do about a conflict.</summary>
    public string? ConflictHint { get; init; }

    public string Describe() =>
        $"{Kind}{(Name is null ? "" : $" '{Name}'")}{(Namespace is null ? "" : $" in namespace '{Namespace}'")}";
}

/// <summary>A technical failure talking to the API server (unreachable, 5xx, 429, an oversized or
/// unreadable answer): the engine retries the step.</summary>
public sealed class KubernetesApiException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Requests to one API server as one identity. Answers the API server refuses become
/// <see cref="BpmnErrorException"/>s a process can branch on; see <see cref="KubernetesErrorCodes"/>.</summary>
public sealed class KubernetesConnection
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private readonly HttpClient client;
    private readonly KubernetesOptions options;

    internal KubernetesConnection(KubernetesEndpoint endpoint, HttpClient client, KubernetesOptions options)
    {
        Endpoint = endpoint;
        this.client = client;
        this.options = options;
    }

    public KubernetesEndpoint Endpoint { get; }

    /// <summary>The namespace a step works in: its input, else the context's, else <c>default</c>.</summary>
    public string Namespace(string? input) =>
        !string.IsNullOrWhiteSpace(input) ? input : Endpoint.Namespace ?? "default";

    /// <summary>Sends a request and reads the JSON object it answers, at most <see cref="KubernetesOptions.MaxResponseBytes"/>.</summary>
    public async Task<JsonObject> SendAsync(HttpMethod method, string path, KubernetesTarget target, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, target, body, contentType, cancellationToken);
        var (bytes, cut) = await ReadCappedAsync(response.Content, options.MaxResponseBytes, cancellationToken);
        if (cut)
            throw new KubernetesApiException($"The API server's answer to {target.Verb} {target.Describe()} is larger than {options.MaxResponseBytes} bytes; it was not read.");
        try
        {
            return JsonNode.Parse(bytes) as JsonObject
                ?? throw new KubernetesApiException($"The API server answered {target.Verb} {target.Describe()} with JSON that is not an object.");
        }
        catch (JsonException)
        {
            throw new KubernetesApiException($"The API server answered {target.Verb} {target.Describe()} with something that is not JSON ({response.Content.Headers.ContentType}).");
        }
    }

    /// <summary>Sends a GET for text (a log) and reads at most <paramref name="maxBytes"/> of it.</summary>
    public async Task<(string Text, bool Truncated)> GetTextAsync(string path, KubernetesTarget target, long maxBytes, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(HttpMethod.Get, path, target, null, null, cancellationToken);
        var (bytes, cut) = await ReadCappedAsync(response.Content, maxBytes, cancellationToken);
        return (Encoding.UTF8.GetString(bytes), cut);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, KubernetesTarget target, string? body, string? contentType, CancellationToken cancellationToken)
    {
        // Appending keeps a path prefix in the server URL (API servers behind a proxy: https://host/k8s/clusters/c1).
        var uri = new Uri(Endpoint.Server.AbsoluteUri.TrimEnd('/') + path);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("weops", "1.0"));
        if (Endpoint.Token is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new KubernetesApiException($"Cannot reach the API server at {Endpoint.Server} ({Endpoint.Source}): {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesApiException($"The API server at {Endpoint.Server} did not answer {target.Verb} {target.Describe()} within {client.Timeout}.", e);
        }

        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var (bytes, _) = await ReadCappedAsync(response.Content, MaxErrorBodyBytes, cancellationToken);
            throw Failure(response.StatusCode, Encoding.UTF8.GetString(bytes), target);
        }
    }

    private static async Task<(byte[] Bytes, bool Truncated)> ReadCappedAsync(HttpContent content, long max, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } length && length > max)
            return ([], true);
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(chunk, cancellationToken);
            }
            catch (IOException e)
            {
                throw new KubernetesApiException($"The API server's answer broke off: {e.Message}", e);
            }

            if (read == 0) return (buffer.ToArray(), false);
            var room = max - buffer.Length;
            if (read > room)
            {
                buffer.Write(chunk, 0, (int)room);
                return (buffer.ToArray(), true);
            }

            buffer.Write(chunk, 0, read);
        }
    }

    private Exception Failure(HttpStatusCode status, string body, KubernetesTarget target)
    {
        var (message, causes) = ReadStatus(body);
        var code = (int)status;
        var what = target.Describe();
        var detail = message is null ? "" : $": {message}";
        var causeText = causes.Count == 0 ? "" : $" ({string.Join("; ", causes)})";
        return code switch
        {
            401 => new BpmnErrorException(KubernetesErrorCodes.Unauthorized,
                $"The API server at {Endpoint.Server} rejected the credential ({Endpoint.Source}) with 401 Unauthorized{detail}"),
            403 => new BpmnErrorException(KubernetesErrorCodes.Forbidden,
                $"Forbidden to {target.Verb} {what}{detail}"),
            404 => new BpmnErrorException(KubernetesErrorCodes.NotFound,
                $"{Capitalised(what)} not found{detail}"),
            409 => new BpmnErrorException(KubernetesErrorCodes.Conflict,
                $"Conflict on {target.Verb} {what}{detail}{causeText}{(target.ConflictHint is null ? "" : $". {target.ConflictHint}")}"),
            400 or 422 => new BpmnErrorException(KubernetesErrorCodes.Invalid,
                $"The API server refused to {target.Verb} {what} as invalid{detail}{causeText}"),
            _ => new KubernetesApiException($"The API server answered {code} {status} to {target.Verb} {what}{detail}"),
        };
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The message and causes of a <c>Status</c> object; plain text bodies give their first line.</summary>
    private static (string? Message, List<string> Causes) ReadStatus(string body)
    {
        var causes = new List<string>();
        try
        {
            if (JsonNode.Parse(body) is JsonObject status)
            {
                var message = status["message"] is JsonValue m && m.GetValueKind() == JsonValueKind.String ? m.GetValue<string>() : null;
                if (status["details"]?["causes"] is JsonArray list)
                {
                    foreach (var cause in list.OfType<JsonObject>().Take(20))
                    {
                        var field = cause["field"]?.GetValueKind() == JsonValueKind.String ? cause["field"]!.GetValue<string>() : null;
                        var text = cause["message"]?.GetValueKind() == JsonValueKind.String ? cause["message"]!.GetValue<string>() : null;
                        if (text is not null) causes.Add(field is null ? text : $"{field}: {text}");
                    }
                }

                // A message that already lists the causes need not repeat them.
                if (message is not null) causes.RemoveAll(c => message.Contains(c, StringComparison.Ordinal));
                return (message, causes);
            }
        }
        catch (JsonException)
        {
            // Not a Status: a proxy or load balancer in front of the API server answered.
        }

        var line = body.Split('\n', 2)[0].Trim();
        return (line.Length == 0 ? null : line.Length > 300 ? line[..300] + "…" : line, causes);
    }
}

/// <summary>The BPMN error codes of the <c>k8s.*</c> executors. 5xx, 429 and connection failures
/// are not among them: those are retried.</summary>
public static class KubernetesErrorCodes
{
    /// <summary>401: the credential was rejected (expired or revoked token, unknown certificate).</summary>
    public const string Unauthorized = "K8S_UNAUTHORIZED";

    /// <summary>403: RBAC does not allow the verb on the resource.</summary>
    public const string Forbidden = "K8S_FORBIDDEN";

    /// <summary>404: the object (or its namespace) does not exist.</summary>
    public const string NotFound = "K8S_NOT_FOUND";

    /// <summary>409: a conflict; for apply, fields owned by another field manager.</summary>
    public const string Conflict = "K8S_CONFLICT";

    /// <summary>400 or 422: the request or object is invalid.</summary>
    public const string Invalid = "K8S_INVALID";
}
