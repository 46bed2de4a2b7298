using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Execution;
using WeOps.Engine.Model;
using WeOps.Engine.Persistence;
using WeOps.Engine.Triggers;
using WeOps.Server.Auth;
using WeOps.Server.Hooks;

namespace WeOps.Server.Endpoints;

/// <summary>HTTP-triggered processes: <c>/hooks/{path}</c> starts the latest published process whose start
/// event has <c>ops:http</c> with that method and path. The route is anonymous for ASP.NET: each hook says
/// how its callers authenticate (an API key with <c>hooks:call</c>, or an HMAC signature of a timestamp and the
/// body that is refused when old or replayed, <see cref="SignedDelivery"/>).</summary>
public static class HooksEndpoints
{
    /// <summary>The largest body a hook reads.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    private static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = 64 };
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private static readonly string[] Ends = [nameof(HistoryKind.InstanceCompleted), nameof(HistoryKind.InstanceFailed), nameof(HistoryKind.InstanceCancelled)];

    public sealed record HookAccepted(Guid InstanceId, string StatusUrl);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapMethods("/hooks/{**path}", Methods, CallAsync).AllowAnonymous().WithTags("Hooks");

    private static async Task<IResult> CallAsync(
        HttpContext context, string? path, DefinitionStore definitions, InstanceStore instances, SignedDelivery signing,
        CancellationToken cancellationToken)
    {
        var request = context.Request;
        var segments = (path ?? string.Empty).Trim('/').Split('/');
        var table = await definitions.HookRoutesAsync(cancellationToken);
        HookLookup.Found found;
        switch (table.Find(request.Method, segments))
        {
            case HookLookup.Found hit:
                found = hit;
                break;
            case HookLookup.MethodNotAllowed refused:
                context.Response.Headers.Allow = string.Join(", ", refused.Allowed);
                return Problem(StatusCodes.Status405MethodNotAllowed, "Method not allowed",
                    $"/hooks/{path} answers {string.Join(", ", refused.Allowed)}, not {request.Method}.");
            default:
                return Problem(StatusCodes.Status404NotFound, "No such hook", $"No published process answers {request.Method} /hooks/{path}.");
        }

        var trigger = found.Binding.Trigger;
        if (trigger.Auth == HookAuth.ApiKey && KeyProblem(context) is { } refusedKey) return refusedKey;

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
            return Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"A hook's body may have at most {MaxBodyBytes / 1024} KiB.");
        SignedDelivery.Verified? signed = null;
        if (trigger.Auth == HookAuth.Hmac)
        {
            var (verified, refused) = await signing.VerifyAsync(request, body, trigger, cancellationToken);
            if (refused is not null) return Problem(refused);
            signed = verified;
        }

        JsonNode? json = null;
        if (body.Length > 0)
        {
            if (!IsJson(request.ContentType))
                return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", Api.ApiSetup.UnsupportedMediaType(request.ContentType));
            try
            {
                json = JsonNode.Parse(body, documentOptions: BodyOptions);
            }
            catch (JsonException e)
            {
                return Problem(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not valid JSON: {e.Message}");
            }
        }

        var variables = new JsonObject { ["request"] = RequestVariable(request, path, found.Parameters, trigger, json) };
        // Recorded last, once nothing else can refuse the call, so that a refused delivery may be corrected and sent again.
        if (signed is not null && await signing.RecordAsync(signed, cancellationToken) is { } replayed) return Problem(replayed);
        InstanceState started;
        try
        {
            started = await instances.StartAsync(found.Binding.ProcessKey, found.Binding.Version, variables, null, cancellationToken, found.Binding.StartEventId);
        }
        catch (Exception e)
        {
            if (signed is not null) await signing.ForgetAsync(signed, CancellationToken.None);
            if (e is StartRefusedException) return Problem(StatusCodes.Status404NotFound, "No such hook", e.Message);
            throw;
        }

        var id = Guid.Parse(started.InstanceId);
        var accepted = TypedResults.Accepted($"/api/instances/{id}", new HookAccepted(id, $"/api/instances/{id}"));
        var graph = await definitions.GraphAsync(found.Binding.ProcessKey, found.Binding.Version, cancellationToken);
        if (graph is null || !graph.Nodes.Any(n => n is EndEvent { Reply: not null } or TaskNode { Reply: not null })) return accepted;
        return await WaitForReplyAsync(instances, id, trigger.Timeout, cancellationToken) ?? accepted;
    }

    /// <summary>A hook that takes API keys needs one whose roles grant <c>hooks:call</c>.</summary>
    private static IResult? KeyProblem(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Problem(StatusCodes.Status401Unauthorized, "API key required",
                "This hook needs an API key with the permission 'hooks:call': send Authorization: Bearer <key>.");
        }

        if (Permissions.IsGranted(context.User.FindAll(ClaimTypes.Role).Select(c => c.Value), Permissions.HooksCall)) return null;
        return Problem(StatusCodes.Status403Forbidden, "Permission required",
            $"This hook needs the permission '{Permissions.HooksCall}', granted by the role(s) {string.Join(", ", Permissions.RolesGranting(Permissions.HooksCall))}.",
            ("missingPermissions", new[] { Permissions.HooksCall }));
    }

    /// <summary>The body, or null when it is longer than <see cref="MaxBodyBytes"/> (read no further).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The <c>request</c> variable: method, path, path parameters, query, the allowed headers and the JSON body.</summary>
    private static JsonObject RequestVariable(HttpRequest request, string? path, IReadOnlyDictionary<string, string> parameters, HttpTrigger trigger, JsonNode? body)
    {
        var query = new JsonObject();
        foreach (var (name, values) in request.Query)
            query[name] = values.Count == 1 ? JsonValue.Create(values[0]) : new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        var headers = new JsonObject();
        foreach (var name in trigger.AllowHeaders)
        {
            if (request.Headers.TryGetValue(name, out var values)) headers[name] = values.ToString();
        }

        var pathParameters = new JsonObject();
        foreach (var (name, value) in parameters)
            pathParameters[name] = value;
        return new JsonObject
        {
            ["method"] = request.Method,
            ["path"] = (path ?? string.Empty).Trim('/'),
            ["params"] = pathParameters,
            ["query"] = query,
            ["headers"] = headers,
            ["body"] = body,
        };
    }

    /// <summary>Polls the instance's history for its reply: a reply written by any node is seen, and an
    /// indexed read by instance id costs little. Null when the instance ends without one or time runs out.</summary>
    private static async Task<IResult?> WaitForReplyAsync(InstanceStore instances, Guid id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            List<(string Kind, string? Detail)> rows;
            await using (var db = instances.OpenDb())
            {
                rows = (await db.History.AsNoTracking()
                    .Where(h => h.InstanceId == id && (h.Kind == nameof(HistoryKind.Replied) || Ends.Contains(h.Kind)))
                    .OrderBy(h => h.Id).Select(h => new { h.Kind, h.Detail }).ToListAsync(cancellationToken))
                    .Select(h => (h.Kind, h.Detail)).ToList();
            }

            if (rows.FirstOrDefault(r => r.Kind == nameof(HistoryKind.Replied)) is { Detail: { } detail }) return Reply(detail);
            var left = timeout - clock.Elapsed;
            if (rows.Count > 0 || left <= TimeSpan.Zero) return null;
            await Task.Delay(pause < left ? pause : left, cancellationToken);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 200));
        }
    }

    private static IResult Reply(string detail)
    {
        var reply = JsonNode.Parse(detail)!.AsObject();
        var status = (int)reply["status"]!;
        return reply["body"] is { } body && status is not (204 or 304)
            ? TypedResults.Json(body, statusCode: status)
            : TypedResults.StatusCode(status);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static IResult Problem(SignedDelivery.Refused refused) => Problem(refused.Status, refused.Title, refused.Detail);

    private static IResult Problem(int status, string title, string detail, params (string Name, object Value)[] extensions) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail,
            extensions: extensions.Length == 0 ? null : extensions.ToDictionary(e => e.Name, e => (object?)e.Value));
}
