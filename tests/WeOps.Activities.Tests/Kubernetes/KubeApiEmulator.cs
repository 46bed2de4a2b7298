using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeOps.Activities.Kubernetes;

namespace WeOps.Activities.Tests.Kubernetes;

/// <summary>One request as the emulation received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string Body, string? User, string? UserAgent);

/// <summary>A Kubernetes API server on 127.0.0.1 over HTTPS, written from the API reference: discovery,
/// namespaced objects with resourceVersions, label and field selectors, the scale and log subresources,
/// merge / strategic-merge / apply patches with field managers, and Status errors. Users authenticate
/// by bearer token or by a client certificate from the test CA (CN = user).</summary>
public sealed class KubeApiEmulator : IAsyncDisposable
{
    private const string Version = "v1.32.0";
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, string> tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<string, string, bool>> permissions = new(StringComparer.Ordinal);

    private KubeApiEmulator(TestPki pki)
    {
        Pki = pki;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = pki.ServerCertificate;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            // Checked per request against the test CA, so an unknown certificate is a 401 and not a TLS failure.
            https.ClientCertificateValidation = (_, _, _) => true;
        })));
        app = builder.Build();
        app.Run(HandleAsync);
    }

    public TestPki Pki { get; }
    public Uri Address { get; private set; } = null!;
    public EmulatedObjects Objects { get; } = new();
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Paths the emulation does not serve: what a client asked for that it lacks.</summary>
    public ConcurrentQueue<string> UnknownPaths { get; } = new();

    /// <summary>Requests for which this returns true get no answer until the client gives up.</summary>
    public Func<HttpRequest, bool>? HangWhen { get; set; }

    /// <summary>Answers a request with a failure of the test's choosing (a 500, a 422 with causes) instead of serving it.</summary>
    public Func<HttpRequest, EmulatedStatus?>? FailWhen { get; set; }

    private int abandoned;

    /// <summary>Requests that hung until the client gave up on them.</summary>
    public int AbandonedRequests => Volatile.Read(ref abandoned);

    public static async Task<KubeApiEmulator> StartAsync(TestPki pki)
    {
        var emulator = new KubeApiEmulator(pki);
        await emulator.app.StartAsync();
        var address = emulator.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.Address = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return emulator;
    }

    public KubeApiEmulator AddToken(string token, string user)
    {
        tokens[token] = user;
        return this;
    }

    /// <summary>What <paramref name="user"/> may do: (verb, resource such as <c>deployments/scale</c>) -> allowed.
    /// A user with no rule may do everything.</summary>
    public KubeApiEmulator Permit(string user, Func<string, string, bool> rule)
    {
        permissions[user] = rule;
        return this;
    }

    /// <summary>Stores an object (a manifest as JSON) as if it had been created.</summary>
    public JsonObject Seed(string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        var resource = EmulatedResource.All.Single(r => r.ApiVersion == obj["apiVersion"]!.GetValue<string>() && r.Kind == obj["kind"]!.GetValue<string>());
        var name = obj["metadata"]!["name"]!.GetValue<string>();
        var ns = resource.Namespaced ? obj["metadata"]!["namespace"]?.GetValue<string>() ?? "default" : null;
        return Objects.Put(resource, ns, name, obj);
    }

    public JsonObject? Get(string kind, string? ns, string name) =>
        Objects.Get(EmulatedResource.All.Single(r => r.Kind == kind), ns, name);

    public IEnumerable<RecordedRequest> Writes => Requests.Where(r => r.Method is not "GET");

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
            body = await reader.ReadToEndAsync(http.RequestAborted);
        var user = Authenticate(http);
        Requests.Enqueue(new RecordedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", request.ContentType, body, user, request.Headers.UserAgent.ToString()));

        if (HangWhen?.Invoke(request) == true)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref abandoned);
            }

            return;
        }

        if (user is null)
        {
            await StatusAsync(http, 401, "Unauthorized", "Unauthorized");
            return;
        }

        try
        {
            if (FailWhen?.Invoke(request) is { } failure) throw failure;
            await RouteAsync(http, user, body);
        }
        catch (EmulatedStatus status)
        {
            await WriteAsync(http, status.Code, status.Body);
        }
    }

    private string? Authenticate(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
            return tokens.TryGetValue(authorization["Bearer ".Length..].Trim(), out var tokenUser) ? tokenUser : null;
        var certificate = http.Connection.ClientCertificate;
        if (certificate is not null && Pki.Issued(certificate))
            return certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false);
        return null;
    }

    private async Task RouteAsync(HttpContext http, string user, string body)
    {
        var path = (http.Request.Path.Value ?? "/").Trim('/');
        var segments = path.Length == 0 ? [] : path.Split('/');
        switch (segments)
        {
            case ["api"]:
                await WriteAsync(http, 200, new JsonObject
                {
                    ["kind"] = "APIVersions",
                    ["versions"] = new JsonArray("v1"),
                    ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = Address.Authority }),
                });
                return;
            case ["apis"]:
                await WriteAsync(http, 200, Groups());
                return;
            case ["version"]:
                await WriteAsync(http, 200, new JsonObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = Version, ["platform"] = "linux/amd64" });
                return;
            case ["api", var v] when v == "v1":
                await WriteAsync(http, 200, ResourceList("", v));
                return;
            case ["apis", var g, var v] when EmulatedResource.All.Any(r => r.Group == g && r.Version == v):
                await WriteAsync(http, 200, ResourceList(g, v));
                return;
            case ["api", "v1", .. var rest]:
                await ResourceAsync(http, user, body, "", "v1", rest);
                return;
            case ["apis", var g, var v, .. var rest] when rest.Length > 0:
                await ResourceAsync(http, user, body, g, v, rest);
                return;
            default:
                UnknownPaths.Enqueue($"{http.Request.Method} /{path}");
                await StatusAsync(http, 404, "NotFound", "the server could not find the requested resource");
                return;
        }
    }

    private static JsonObject Groups()
    {
        var groups = new JsonArray();
        foreach (var group in EmulatedResource.All.Where(r => r.Group.Length > 0).GroupBy(r => (r.Group, r.Version)))
        {
            var version = new JsonObject { ["groupVersion"] = $"{group.Key.Group}/{group.Key.Version}", ["version"] = group.Key.Version };
            groups.Add(new JsonObject
            {
                ["name"] = group.Key.Group,
                ["versions"] = new JsonArray(version.DeepClone()),
                ["preferredVersion"] = version,
            });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    private static JsonObject ResourceList(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var r in EmulatedResource.All.Where(r => r.Group == group && r.Version == version))
        {
            resources.Add(new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
                ["shortNames"] = new JsonArray([.. r.ShortNames.Select(s => (JsonNode)s)]),
            });
            if (r.HasScale)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{r.Plural}/scale",
                    ["singularName"] = "",
                    ["namespaced"] = true,
                    ["group"] = "autoscaling",
                    ["version"] = "v1",
                    ["kind"] = "Scale",
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }

            if (r.Kind == "Pod")
            {
                resources.Add(new JsonObject
                {
                    ["name"] = "pods/log",
                    ["singularName"] = "",
                    ["namespaced"] = true,
                    ["kind"] = "Pod",
                    ["verbs"] = new JsonArray("get"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private async Task ResourceAsync(HttpContext http, string user, string body, string group, string version, string[] rest)
    {
        string? ns = null;
        string plural;
        string? name;
        string? sub;
        if (rest is ["namespaces", var n, var p, .. var tail])
        {
            ns = n;
            plural = p;
            name = tail.ElementAtOrDefault(0);
            sub = tail.ElementAtOrDefault(1);
            if (tail.Length > 2) throw NotServed(http);
        }
        else
        {
            plural = rest[0];
            name = rest.ElementAtOrDefault(1);
            sub = rest.ElementAtOrDefault(2);
            if (rest.Length > 3) throw NotServed(http);
        }

        var resource = EmulatedResource.All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural) ?? throw NotServed(http);
        if (resource.Namespaced && ns is null && name is not null) throw NotServed(http);
        if (!resource.Namespaced && ns is not null) throw NotServed(http);
        if (sub is not null && !(sub == "scale" && resource.HasScale) && !(sub == "log" && resource.Kind == "Pod")) throw NotServed(http);

        var method = http.Request.Method;
        var query = http.Request.Query;
        var verb = (method, name) switch
        {
            ("GET", null) => query["watch"] is { Count: > 0 } w && w[0] is "true" or "1" ? "watch" : "list",
            ("GET", _) => "get",
            ("POST", null) => "create",
            ("PUT", _) => "update",
            ("PATCH", _) => "patch",
            ("DELETE", _) => "delete",
            _ => throw new EmulatedStatus(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource"),
        };
        var resourcePath = sub is null ? plural : $"{plural}/{sub}";
        if (permissions.TryGetValue(user, out var rule) && !rule(verb, resourcePath))
        {
            var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
            var subject = name is null ? resource.QualifiedName : $"{resource.QualifiedName} \"{name}\"";
            throw new EmulatedStatus(403, "Forbidden",
                $"{subject} is forbidden: User \"{user}\" cannot {verb} resource \"{resourcePath}\" in API group \"{group}\" {scope}",
                new JsonObject { ["name"] = name, ["group"] = group, ["kind"] = plural });
        }

        switch (verb)
        {
            case "list":
                await WriteAsync(http, 200, ListObjects(resource, ns, query["labelSelector"].ToString(), query["fieldSelector"].ToString()));
                return;
            case "watch":
                await WatchAsync(http, query["timeoutSeconds"].ToString());
                return;
            case "get" when sub == "scale":
                await WriteAsync(http, 200, Scale(resource, Existing(resource, ns, name!)));
                return;
            case "get" when sub == "log":
                await LogAsync(http, ns!, name!, Existing(resource, ns, name!));
                return;
            case "get":
                await WriteAsync(http, 200, Existing(resource, ns, name!));
                return;
            case "create":
                await CreateAsync(http, resource, ns, body);
                return;
            case "update" or "patch" when sub == "scale":
                await WriteAsync(http, 200, ChangeScale(http, resource, ns, name!, body, verb));
                return;
            case "update":
                await WriteAsync(http, 200, Replace(http, resource, ns, name!, body));
                return;
            case "patch":
                await PatchAsync(http, resource, ns, name!, body);
                return;
            case "delete":
                var deleted = Objects.Delete(resource, ns, name!) ?? throw NotFound(resource, name!);
                if (TryParse(body) is JsonObject options && options["gracePeriodSeconds"] is JsonValue grace)
                    ((JsonObject)deleted["metadata"]!)["deletionGracePeriodSeconds"] = grace.DeepClone();
                ((JsonObject)deleted["metadata"]!)["deletionTimestamp"] = Now();
                await WriteAsync(http, 200, deleted);
                return;
        }
    }

    private EmulatedStatus NotServed(HttpContext http)
    {
        UnknownPaths.Enqueue($"{http.Request.Method} {http.Request.Path}");
        return new EmulatedStatus(404, "NotFound", "the server could not find the requested resource");
    }

    private static EmulatedStatus NotFound(EmulatedResource resource, string name) =>
        new(404, "NotFound", $"{resource.QualifiedName} \"{name}\" not found", new JsonObject { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Plural });

    private JsonObject Existing(EmulatedResource resource, string? ns, string name) =>
        Objects.Get(resource, ns, name) ?? throw NotFound(resource, name);

    private JsonObject ListObjects(EmulatedResource resource, string? ns, string labelSelector, string fieldSelector)
    {
        LabelSelector selector;
        try
        {
            selector = LabelSelector.Parse(labelSelector);
        }
        catch (FormatException e)
        {
            throw new EmulatedStatus(400, "BadRequest", $"unable to parse requirement: {e.Message}");
        }

        var fields = fieldSelector.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseField).ToList();
        var items = new JsonArray();
        foreach (var obj in Objects.List(resource, ns))
        {
            var labels = (obj["metadata"]?["labels"] as JsonObject ?? []).ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? "");
            if (!selector.Matches(labels)) continue;
            if (!fields.All(f => (FieldValue(obj, f.Field) == f.Value) == f.Equal)) continue;
            items.Add(obj);
        }

        return new JsonObject
        {
            ["kind"] = resource.Kind + "List",
            ["apiVersion"] = resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = Objects.CurrentResourceVersion },
            ["items"] = items,
        };
    }

    private static (string Field, string Value, bool Equal) ParseField(string term)
    {
        var not = term.IndexOf("!=", StringComparison.Ordinal);
        if (not > 0) return (term[..not].Trim(), term[(not + 2)..].Trim(), false);
        var eq = term.IndexOf('=');
        if (eq <= 0) throw new EmulatedStatus(400, "BadRequest", $"invalid field selector: '{term}'");
        return (term[..eq].Trim(), term[(eq + 1)..].TrimStart('=').Trim(), true);
    }

    private static string? FieldValue(JsonObject obj, string field) => field switch
    {
        "metadata.name" => obj["metadata"]?["name"]?.GetValue<string>(),
        "metadata.namespace" => obj["metadata"]?["namespace"]?.GetValue<string>(),
        "status.phase" => obj["status"]?["phase"]?.GetValue<string>(),
        "spec.nodeName" => obj["spec"]?["nodeName"]?.GetValue<string>() ?? "",
        _ => throw new EmulatedStatus(400, "BadRequest", $"field label not supported: {field}"),
    };

    private static async Task WatchAsync(HttpContext http, string timeoutSeconds)
    {
        // No events happen in the emulation: keep the watch open until the client or its timeout ends it.
        var seconds = int.TryParse(timeoutSeconds, out var s) ? Math.Min(s, 5) : 5;
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        await http.Response.StartAsync(http.RequestAborted);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client stopped watching.
        }
    }

    private static JsonObject Scale(EmulatedResource resource, JsonObject obj)
    {
        var metadata = obj["metadata"]!;
        var selector = obj["spec"]?["selector"]?["matchLabels"] as JsonObject;
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]!.DeepClone(),
                ["namespace"] = metadata["namespace"]!.DeepClone(),
                ["uid"] = metadata["uid"]!.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]!.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]!.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = obj["spec"]?["replicas"]?.DeepClone() },
            ["status"] = new JsonObject
            {
                ["replicas"] = obj["status"]?["replicas"]?.DeepClone() ?? 0,
                ["selector"] = selector is null ? null : string.Join(',', selector.Select(kv => $"{kv.Key}={kv.Value}")),
            },
        };
    }

    private JsonObject ChangeScale(HttpContext http, EmulatedResource resource, string? ns, string name, string body, string verb)
    {
        var obj = Existing(resource, ns, name);
        var change = TryParse(body) as JsonObject ?? throw new EmulatedStatus(400, "BadRequest", "the request body is not a JSON object");
        JsonNode? replicas;
        if (verb == "update")
        {
            replicas = change["spec"]?["replicas"];
        }
        else
        {
            RequireContentType(http, "application/merge-patch+json", "application/strategic-merge-patch+json");
            replicas = EmulatedObjects.Merge(Scale(resource, obj), change, false)!["spec"]?["replicas"];
        }

        if (replicas is not JsonValue value || !value.TryGetValue<int>(out var count) || count < 0)
        {
            throw new EmulatedStatus(422, "Invalid", $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: Invalid value: must be greater than or equal to 0",
                new JsonObject { ["name"] = name, ["group"] = "autoscaling", ["kind"] = "Scale", ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = "Invalid value: must be greater than or equal to 0", ["field"] = "spec.replicas" }) });
        }

        var spec = obj["spec"] as JsonObject ?? new JsonObject();
        obj["spec"] = spec;
        spec["replicas"] = count;
        Objects.Own(resource, ns, name, new JsonObject { ["spec"] = new JsonObject { ["replicas"] = count } }, Manager(http));
        return Scale(resource, Objects.Put(resource, ns, name, obj));
    }

    private async Task CreateAsync(HttpContext http, EmulatedResource resource, string? ns, string body)
    {
        var obj = TryParse(body) as JsonObject ?? throw new EmulatedStatus(400, "BadRequest", "the request body is not a JSON object");
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? throw Invalid(resource, "", "metadata.name", "Required value: name is required");
        if (Objects.Get(resource, ns, name) is not null)
            throw new EmulatedStatus(409, "AlreadyExists", $"{resource.QualifiedName} \"{name}\" already exists", new JsonObject { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Plural });
        Objects.Own(resource, ns, name, obj, Manager(http));
        await WriteAsync(http, 201, Objects.Put(resource, ns, name, obj));
    }

    private JsonObject Replace(HttpContext http, EmulatedResource resource, string? ns, string name, string body)
    {
        var current = Existing(resource, ns, name);
        var obj = TryParse(body) as JsonObject ?? throw new EmulatedStatus(400, "BadRequest", "the request body is not a JSON object");
        var expected = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (expected is not null && expected != current["metadata"]!["resourceVersion"]!.GetValue<string>())
        {
            throw new EmulatedStatus(409, "Conflict",
                $"Operation cannot be fulfilled on {resource.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
                new JsonObject { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Plural });
        }

        Objects.Own(resource, ns, name, obj, Manager(http));
        return Objects.Put(resource, ns, name, obj);
    }

    private async Task PatchAsync(HttpContext http, EmulatedResource resource, string? ns, string name, string body)
    {
        var contentType = RequireContentType(http, "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml");
        if (contentType == "application/apply-patch+yaml")
        {
            await ApplyAsync(http, resource, ns, name, body);
            return;
        }

        var current = Existing(resource, ns, name);
        var patch = TryParse(body) as JsonObject ?? throw new EmulatedStatus(400, "BadRequest", "the patch is not a JSON object");
        var merged = (JsonObject)EmulatedObjects.Merge(current, patch, contentType == "application/strategic-merge-patch+json")!;
        Objects.Own(resource, ns, name, patch, Manager(http));
        await WriteAsync(http, 200, Objects.Put(resource, ns, name, merged));
    }

    private async Task ApplyAsync(HttpContext http, EmulatedResource resource, string? ns, string name, string body)
    {
        var manager = http.Request.Query["fieldManager"].ToString();
        if (manager.Length == 0)
            throw Invalid(resource, name, "fieldManager", "Required value: is required for apply patch");
        var force = http.Request.Query["force"].ToString() == "true";
        JsonObject applied;
        try
        {
            applied = YamlJson.ReadDocuments(body) is [JsonObject single] ? single : throw new FormatException("the body must be one object");
        }
        catch (FormatException e)
        {
            throw new EmulatedStatus(400, "BadRequest", $"error decoding YAML: {e.Message}");
        }

        if (applied["apiVersion"]?.ToString() != resource.ApiVersion || applied["kind"]?.ToString() != resource.Kind)
            throw new EmulatedStatus(400, "BadRequest", $"the API version in the data ({applied["apiVersion"]}) does not match the expected API version ({resource.ApiVersion})");
        if (applied["metadata"]?["name"]?.ToString() != name)
            throw new EmulatedStatus(400, "BadRequest", "the name of the object does not match the name on the URL");
        if (ns is not null && applied["metadata"]?["namespace"] is { } bodyNs && bodyNs.ToString() != ns)
            throw new EmulatedStatus(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");

        var conflicts = Objects.Conflicts(resource, ns, name, applied, manager);
        if (conflicts.Count > 0 && !force)
        {
            var causes = new JsonArray([.. conflicts.Select(c => (JsonNode)new JsonObject
            {
                ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with \"{c.Manager}\": {c.Path}", ["field"] = c.Path,
            })]);
            var list = string.Join(", ", conflicts.Select(c => $"conflict with \"{c.Manager}\": {c.Path}"));
            throw new EmulatedStatus(409, "Conflict", $"Apply failed with {conflicts.Count} conflict{(conflicts.Count == 1 ? "" : "s")}: {list}",
                new JsonObject { ["causes"] = causes });
        }

        var current = Objects.Get(resource, ns, name);
        var merged = (JsonObject)EmulatedObjects.Merge(current ?? new JsonObject(), applied, true)!;
        Objects.Own(resource, ns, name, applied, manager);
        await WriteAsync(http, current is null ? 201 : 200, Objects.Put(resource, ns, name, merged));
    }

    private async Task LogAsync(HttpContext http, string ns, string pod, JsonObject obj)
    {
        var query = http.Request.Query;
        var containers = (obj["spec"]?["containers"] as JsonArray ?? []).Select(c => c?["name"]?.ToString() ?? "").ToList();
        var container = query["container"].ToString();
        if (container.Length == 0)
        {
            if (containers.Count != 1)
                throw new EmulatedStatus(400, "BadRequest", $"a container name must be specified for pod {pod}, choose one of: [{string.Join(' ', containers)}]");
            container = containers[0];
        }
        else if (!containers.Contains(container))
        {
            throw new EmulatedStatus(400, "BadRequest", $"container {container} is not valid for pod {pod}");
        }

        var previous = query["previous"].ToString() == "true";
        var lines = Objects.Log(ns, pod, container, previous);
        if (lines is null && previous)
            throw new EmulatedStatus(400, "BadRequest", $"previous terminated container \"{container}\" in pod \"{pod}\" not found");
        lines ??= [];
        if (long.TryParse(query["sinceSeconds"], out var since))
            lines = lines.Where(l => l.At >= DateTimeOffset.UtcNow.AddSeconds(-since)).ToList();
        if (int.TryParse(query["tailLines"], out var tail) && tail < lines.Count)
            lines = lines.Skip(lines.Count - tail).ToList();
        var text = string.Concat(lines.Select(l => l.Line + "\n"));
        var bytes = Encoding.UTF8.GetBytes(text);
        if (long.TryParse(query["limitBytes"], out var limit) && limit < bytes.Length) bytes = bytes[..(int)limit];
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/plain";
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    private static string RequireContentType(HttpContext http, params string[] supported)
    {
        var contentType = (http.Request.ContentType ?? "").Split(';')[0].Trim();
        if (!supported.Contains(contentType))
            throw new EmulatedStatus(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", supported)}");
        return contentType;
    }

    // Without a fieldManager the API server names the manager after the client's user agent.
    private static string Manager(HttpContext http)
    {
        var manager = http.Request.Query["fieldManager"].ToString();
        return manager.Length > 0 ? manager : http.Request.Headers.UserAgent.ToString().Split('/')[0];
    }

    private static EmulatedStatus Invalid(EmulatedResource resource, string name, string field, string message) =>
        new(422, "Invalid", $"{resource.Kind} \"{name}\" is invalid: {field}: {message}",
            new JsonObject { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Kind, ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueRequired", ["message"] = message, ["field"] = field }) });

    private static JsonNode? TryParse(string body)
    {
        try
        {
            return body.Length == 0 ? null : JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            throw new EmulatedStatus(400, "BadRequest", "the request body is not JSON");
        }
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static Task StatusAsync(HttpContext http, int code, string reason, string message) =>
        WriteAsync(http, code, new EmulatedStatus(code, reason, message).Body);

    private static async Task WriteAsync(HttpContext http, int code, JsonNode body)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }
}

/// <summary>A <c>Status</c> failure the emulation answers with.</summary>
public sealed class EmulatedStatus(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public JsonObject Body { get; } = new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["details"] = details,
        ["code"] = code,
    };
}
