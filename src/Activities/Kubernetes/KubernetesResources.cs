using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeOps.Activities.Kubernetes;

/// <summary>A REST resource: which group/version serves a kind, under which plural name, and whether
/// its objects live in a namespace.</summary>
public sealed record KubernetesResource(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary><c>/api/v1</c> for the core group, else <c>/apis/{group}/{version}</c>.</summary>
    public string GroupVersionPath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    public string CollectionPath(string? ns) =>
        Namespaced ? $"{GroupVersionPath}/namespaces/{Uri.EscapeDataString(ns!)}/{Plural}" : $"{GroupVersionPath}/{Plural}";

    public string ObjectPath(string? ns, string name) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";

    public static readonly KubernetesResource Pod = new("", "v1", "pods", "Pod", true);
    public static readonly KubernetesResource Deployment = new("apps", "v1", "deployments", "Deployment", true);
    public static readonly KubernetesResource StatefulSet = new("apps", "v1", "statefulsets", "StatefulSet", true);
    public static readonly KubernetesResource DaemonSet = new("apps", "v1", "daemonsets", "DaemonSet", true);
    public static readonly KubernetesResource ReplicaSet = new("apps", "v1", "replicasets", "ReplicaSet", true);

    private static readonly FrozenDictionary<(string ApiVersion, string Kind), KubernetesResource> Known = new KubernetesResource[]
    {
        Pod,
        new("", "v1", "services", "Service", true),
        new("", "v1", "configmaps", "ConfigMap", true),
        new("", "v1", "secrets", "Secret", true),
        new("", "v1", "serviceaccounts", "ServiceAccount", true),
        new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true),
        new("", "v1", "namespaces", "Namespace", false),
        Deployment,
        StatefulSet,
        DaemonSet,
        ReplicaSet,
        new("batch", "v1", "jobs", "Job", true),
        new("batch", "v1", "cronjobs", "CronJob", true),
        new("networking.k8s.io", "v1", "ingresses", "Ingress", true),
        new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true),
    }.ToFrozenDictionary(r => (r.ApiVersion, r.Kind));

    /// <summary>The resource of a well-known kind, or null when discovery must say.</summary>
    public static KubernetesResource? FindKnown(string apiVersion, string kind) =>
        Known.TryGetValue((apiVersion, kind), out var resource) ? resource : null;

    /// <summary>Finds <paramref name="kind"/> in an <c>APIResourceList</c> (the answer of <c>/api/v1</c> or
    /// <c>/apis/{group}/{version}</c>); subresources (<c>deployments/scale</c>) are skipped.</summary>
    public static KubernetesResource? FromDiscovery(JsonObject resourceList, string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        if (resourceList["resources"] is not JsonArray resources) return null;
        foreach (var entry in resources.OfType<JsonObject>())
        {
            var name = entry["name"]?.GetValueKind() == JsonValueKind.String ? entry["name"]!.GetValue<string>() : null;
            var entryKind = entry["kind"]?.GetValueKind() == JsonValueKind.String ? entry["kind"]!.GetValue<string>() : null;
            if (name is null || name.Contains('/') || entryKind != kind) continue;
            var namespaced = entry["namespaced"]?.GetValueKind() == JsonValueKind.True;
            return new KubernetesResource(group, version, name, kind, namespaced);
        }

        return null;
    }
}
