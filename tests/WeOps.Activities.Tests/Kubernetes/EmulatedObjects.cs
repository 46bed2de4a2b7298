using System.Globalization;
using System.Text.Json.Nodes;

namespace WeOps.Activities.Tests.Kubernetes;

/// <summary>A resource the emulated API server serves.</summary>
public sealed record EmulatedResource(string Group, string Version, string Plural, string Singular, string Kind, bool Namespaced, string[] ShortNames)
{
    public bool HasScale => Kind is "Deployment" or "StatefulSet" or "ReplicaSet";
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>How the API server names the resource in messages: <c>deployments.apps</c>, <c>pods</c>.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public static readonly IReadOnlyList<EmulatedResource> All =
    [
        new("", "v1", "pods", "pod", "Pod", true, ["po"]),
        new("", "v1", "services", "service", "Service", true, ["svc"]),
        new("", "v1", "configmaps", "configmap", "ConfigMap", true, ["cm"]),
        new("", "v1", "secrets", "secret", "Secret", true, []),
        new("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, ["sa"]),
        new("", "v1", "namespaces", "namespace", "Namespace", false, ["ns"]),
        new("apps", "v1", "deployments", "deployment", "Deployment", true, ["deploy"]),
        new("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, ["sts"]),
        new("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, ["ds"]),
        new("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, ["rs"]),
        new("batch", "v1", "jobs", "job", "Job", true, []),
        new("batch", "v1", "cronjobs", "cronjob", "CronJob", true, ["cj"]),
        new("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, ["ing"]),
        new("example.com", "v1", "widgets", "widget", "Widget", true, []),
    ];
}

/// <summary>Objects kept by the emulation, with what the real API server adds: uid, resourceVersion,
/// generation, the field owners server-side apply checks, and pod logs.</summary>
public sealed class EmulatedObjects
{
    private readonly object gate = new();
    private readonly Dictionary<string, JsonObject> objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> owners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(DateTimeOffset At, string Line)>> logs = new(StringComparer.Ordinal);
    private long resourceVersion = 1000;

    public static string Key(EmulatedResource r, string? ns, string name) => $"{r.Group}|{r.Plural}|{ns}|{name}";

    public JsonObject? Get(EmulatedResource r, string? ns, string name)
    {
        lock (gate) return objects.TryGetValue(Key(r, ns, name), out var o) ? (JsonObject)o.DeepClone() : null;
    }

    public List<JsonObject> List(EmulatedResource r, string? ns)
    {
        var prefix = ns is null ? $"{r.Group}|{r.Plural}|" : $"{r.Group}|{r.Plural}|{ns}|";
        lock (gate)
        {
            return objects.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => (JsonObject)kv.Value.DeepClone()).ToList();
        }
    }

    public string CurrentResourceVersion
    {
        get { lock (gate) return resourceVersion.ToString(CultureInfo.InvariantCulture); }
    }

    /// <summary>Creates or replaces an object, filling in what the server owns.</summary>
    public JsonObject Put(EmulatedResource r, string? ns, string name, JsonObject obj)
    {
        lock (gate)
        {
            var key = Key(r, ns, name);
            objects.TryGetValue(key, out var previous);
            // Through text, so numbers read back as any numeric type, as they would from the wire.
            var stored = JsonNode.Parse(obj.ToJsonString())!.AsObject();
            stored["apiVersion"] = r.ApiVersion;
            stored["kind"] = r.Kind;
            var metadata = stored["metadata"] as JsonObject ?? new JsonObject();
            stored["metadata"] = metadata;
            metadata["name"] = name;
            if (ns is not null) metadata["namespace"] = ns;
            metadata["uid"] = previous?["metadata"]?["uid"]?.DeepClone() ?? Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = previous?["metadata"]?["creationTimestamp"]?.DeepClone() ?? DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            metadata["resourceVersion"] = (++resourceVersion).ToString(CultureInfo.InvariantCulture);
            var generation = previous?["metadata"]?["generation"]?.GetValue<long>() ?? 0;
            var specChanged = previous is null || !JsonNode.DeepEquals(previous["spec"], stored["spec"]);
            if (r.Kind != "Pod") metadata["generation"] = specChanged ? generation + 1 : generation;
            if (r.HasScale)
            {
                // What the workload controller would do: the status follows the spec.
                var spec = stored["spec"] as JsonObject ?? new JsonObject();
                stored["spec"] = spec;
                spec["replicas"] ??= 1;
                var status = stored["status"] as JsonObject ?? new JsonObject();
                stored["status"] = status;
                status["replicas"] = spec["replicas"]!.DeepClone();
            }

            objects[key] = stored;
            return (JsonObject)stored.DeepClone();
        }
    }

    public JsonObject? Delete(EmulatedResource r, string? ns, string name)
    {
        lock (gate)
        {
            var key = Key(r, ns, name);
            if (!objects.Remove(key, out var removed)) return null;
            owners.Remove(key);
            foreach (var log in logs.Keys.Where(k => k.StartsWith(key + "|", StringComparison.Ordinal)).ToList()) logs.Remove(log);
            return removed;
        }
    }

    /// <summary>The fields owned by other managers that <paramref name="applied"/> would change.</summary>
    public List<(string Path, string Manager)> Conflicts(EmulatedResource r, string? ns, string name, JsonObject applied, string manager)
    {
        lock (gate)
        {
            var key = Key(r, ns, name);
            if (!objects.TryGetValue(key, out var current) || !owners.TryGetValue(key, out var owned)) return [];
            var conflicts = new List<(string, string)>();
            foreach (var (path, value) in Leaves(applied, ""))
            {
                if (!owned.TryGetValue(path, out var owner) || owner == manager) continue;
                var existing = At(current, path);
                if (existing is not null && !JsonNode.DeepEquals(existing, value)) conflicts.Add((path, owner));
            }

            return conflicts;
        }
    }

    /// <summary>Records <paramref name="manager"/> as the owner of every field <paramref name="change"/> sets.</summary>
    public void Own(EmulatedResource r, string? ns, string name, JsonObject change, string manager)
    {
        lock (gate)
        {
            var key = Key(r, ns, name);
            if (!owners.TryGetValue(key, out var owned)) owners[key] = owned = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (path, _) in Leaves(change, "")) owned[path] = manager;
        }
    }

    public void AddLog(string ns, string pod, string container, string text, bool previous = false, DateTimeOffset? at = null)
    {
        var pods = EmulatedResource.All[0];
        lock (gate)
        {
            var key = $"{Key(pods, ns, pod)}|{container}|{previous}";
            if (!logs.TryGetValue(key, out var lines)) logs[key] = lines = [];
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries)) lines.Add((at ?? DateTimeOffset.UtcNow, line));
        }
    }

    public List<(DateTimeOffset At, string Line)>? Log(string ns, string pod, string container, bool previous)
    {
        var pods = EmulatedResource.All[0];
        lock (gate) return logs.TryGetValue($"{Key(pods, ns, pod)}|{container}|{previous}", out var lines) ? [.. lines] : null;
    }

    private static readonly HashSet<string> Identity = new(StringComparer.Ordinal) { ".apiVersion", ".kind", ".metadata.name", ".metadata.namespace" };

    /// <summary>Leaf fields of an object as paths (<c>.spec.replicas</c>); lists count as one field.</summary>
    public static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonObject obj, string prefix)
    {
        foreach (var (name, value) in obj)
        {
            var path = $"{prefix}.{name}";
            if (Identity.Contains(path)) continue;
            if (value is JsonObject child && child.Count > 0)
            {
                foreach (var leaf in Leaves(child, path)) yield return leaf;
            }
            else
            {
                yield return (path, value);
            }
        }
    }

    private static JsonNode? At(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(part, out node)) return null;
        }

        return node;
    }

    /// <summary>JSON merge patch (RFC 7386); with <paramref name="strategic"/>, lists of named objects
    /// (containers) merge by name as a strategic-merge patch does.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch, bool strategic)
    {
        if (strategic && target is JsonArray targetList && patch is JsonArray patchList && IsNamedList(targetList) && IsNamedList(patchList))
        {
            var merged = targetList.Select(n => n!.DeepClone()).ToList();
            foreach (var item in patchList)
            {
                var name = item!["name"]!.GetValue<string>();
                var index = merged.FindIndex(m => m["name"]!.GetValue<string>() == name);
                if (index < 0) merged.Add(item.DeepClone());
                else merged[index] = Merge(merged[index], item, true)!;
            }

            return new JsonArray([.. merged]);
        }

        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            result.Remove(name, out var existing);
            result[name] = Merge(existing, value, strategic);
        }

        return result;
    }

    private static bool IsNamedList(JsonArray list) =>
        list.All(n => n is JsonObject o && o["name"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String);
}
