using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Kubernetes;

/// <summary>Server-side apply of one or more manifests, as <c>kubectl apply --server-side</c>: the API
/// server merges each object and records <c>fieldManager</c> as the owner of its fields.</summary>
[Executor("k8s.apply", DisplayName = "Kubernetes: apply", Category = "Kubernetes",
    DisplayNameZh = "Kubernetes：应用清单", Summary = "Applies YAML or JSON manifests server-side, like kubectl apply.",
    SummaryZh = "以服务端方式应用 YAML 或 JSON 清单，相当于 kubectl apply。",
    DescriptionZh = "以服务端应用（server-side apply）方式应用 YAML 或 JSON 清单（多个文档用 --- 分隔）。由其他管理者拥有的字段会返回 K8S_CONFLICT，除非设置了 'force'。" + ErrorsDescriptionZh,
    Description = "Server-side apply of YAML or JSON manifests (several documents separated by ---). Fields owned by another manager give K8S_CONFLICT unless 'force' is set." + ErrorsDescription)]
[Output("applied", Type = "array", Description = "[{kind, name, namespace, resourceVersion}] in manifest order.")]
public sealed class KubernetesApplyExecutor(KubernetesConnector connector) : KubernetesExecutor<KubernetesApplyExecutor.Inputs>(connector)
{
    public sealed record Inputs : KubernetesInputs
    {
        [Input(Description = "Manifests, YAML or JSON; documents separated by '---'. A namespaced object without metadata.namespace goes to 'namespace'.", Required = true, UiHint = "code", DescriptionZh = "清单，YAML 或 JSON；多个文档用 '---' 分隔。没有 metadata.namespace 的命名空间级对象放到 'namespace'。")]
        public string Manifest { get; init; } = "";

        [Input(Description = "Field manager recorded as owner of the applied fields.", Default = "weops", DescriptionZh = "记录为所应用字段所有者的字段管理者名称。")]
        public string FieldManager { get; init; } = "weops";

        [Input(Description = "Take over fields owned by other managers instead of failing with K8S_CONFLICT.", Default = "false", DescriptionZh = "接管其他管理者拥有的字段，而不是以 K8S_CONFLICT 失败。")]
        public bool Force { get; init; }
    }

    protected override async Task<JsonNode?> RunAsync(Inputs inputs, KubernetesConnection connection, string ns, ExecutorContext context, CancellationToken cancellationToken)
    {
        var manager = string.IsNullOrWhiteSpace(inputs.FieldManager) ? "weops" : inputs.FieldManager.Trim();
        if (manager.Length > 128 || manager.Any(char.IsControl))
            throw new ExecutorInputException("k8s.apply: input 'fieldManager' must be at most 128 printable characters.");
        var objects = ReadManifest(inputs.Manifest);
        var discovered = new Dictionary<string, JsonObject?>(StringComparer.Ordinal);
        var applied = new JsonArray();
        foreach (var (obj, apiVersion, kind, name, position) in objects)
        {
            var resource = KubernetesResource.FindKnown(apiVersion, kind)
                ?? await DiscoverAsync(connection, apiVersion, kind, position, discovered, cancellationToken);
            string? objectNs = null;
            var metadata = (JsonObject)obj["metadata"]!;
            if (resource.Namespaced)
            {
                objectNs = metadata["namespace"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0
                    ? KubernetesNames.Label(v.GetValue<string>(), $"manifest {position} metadata.namespace")
                    : ns;
                metadata["namespace"] = objectNs;
            }

            // Strict, as kubectl's default: a misspelt field fails the step instead of being dropped silently.
            var path = resource.ObjectPath(objectNs, name)
                + $"?fieldManager={Uri.EscapeDataString(manager)}&fieldValidation=Strict&force={(inputs.Force ? "true" : "false")}";
            var target = new KubernetesTarget("apply", kind, name, objectNs)
            {
                ConflictHint = "Set 'force' to take the fields over from the other manager, or leave them out of the manifest.",
            };
            var result = await connection.SendAsync(HttpMethod.Patch, path, target, obj.ToJsonString(), "application/apply-patch+yaml", cancellationToken);
            applied.Add(new JsonObject
            {
                ["kind"] = kind,
                ["name"] = name,
                ["namespace"] = objectNs,
                ["resourceVersion"] = result["metadata"]?["resourceVersion"]?.GetValueKind() == JsonValueKind.String
                    ? result["metadata"]!["resourceVersion"]!.GetValue<string>()
                    : null,
            });
        }

        return new JsonObject { ["applied"] = applied };
    }

    private List<(JsonObject Object, string ApiVersion, string Kind, string Name, string Position)> ReadManifest(string manifest)
    {
        if (manifest.Length > Options.MaxManifestChars)
            throw new ExecutorInputException($"k8s.apply: the manifest is longer than {Options.MaxManifestChars} characters.");
        IReadOnlyList<JsonNode?> documents;
        try
        {
            documents = YamlJson.ReadDocuments(manifest);
        }
        catch (FormatException e)
        {
            throw new ExecutorInputException($"k8s.apply: the manifest is {e.Message}");
        }

        var objects = new List<(JsonObject, string, string, string, string)>();
        var index = 0;
        foreach (var document in documents)
        {
            index++;
            if (document is null) continue;
            if (document is not JsonObject obj)
                throw new ExecutorInputException($"k8s.apply: document {index} of the manifest is not an object.");
            if (Field(obj, "kind") == "List" && obj["items"] is JsonArray items)
            {
                var itemIndex = 0;
                foreach (var item in items)
                {
                    itemIndex++;
                    objects.Add(Describe(item as JsonObject, $"document {index} item {itemIndex}"));
                }
            }
            else
            {
                objects.Add(Describe(obj, $"document {index}"));
            }
        }

        if (objects.Count == 0) throw new ExecutorInputException("k8s.apply: the manifest holds no object.");
        return objects;
    }

    private static (JsonObject, string, string, string, string) Describe(JsonObject? obj, string position)
    {
        if (obj is null) throw new ExecutorInputException($"k8s.apply: {position} of the manifest is not an object.");
        var apiVersion = Field(obj, "apiVersion") ?? throw new ExecutorInputException($"k8s.apply: {position} of the manifest has no apiVersion.");
        var kind = Field(obj, "kind") ?? throw new ExecutorInputException($"k8s.apply: {position} of the manifest has no kind.");
        var name = (obj["metadata"] as JsonObject) is { } metadata ? Field(metadata, "name") : null;
        if (name is null) throw new ExecutorInputException($"k8s.apply: {position} of the manifest ({kind}) has no metadata.name.");
        return (obj, apiVersion, kind, KubernetesNames.Object(name, $"manifest {position} metadata.name"), $"{position} ({kind} '{name}')");
    }

    private static string? Field(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0 ? v.GetValue<string>() : null;

    private static async Task<KubernetesResource> DiscoverAsync(
        KubernetesConnection connection, string apiVersion, string kind, string position, Dictionary<string, JsonObject?> cache, CancellationToken cancellationToken)
    {
        var parts = apiVersion.Split('/');
        if (!KubernetesNames.IsApiVersion(apiVersion))
            throw new ExecutorInputException($"k8s.apply: {position}: apiVersion '{apiVersion}' is not group/version or version.");
        var path = parts.Length == 1 ? $"/api/{parts[0]}" : $"/apis/{parts[0]}/{parts[1]}";
        if (!cache.TryGetValue(path, out var list))
        {
            try
            {
                list = await connection.SendAsync(HttpMethod.Get, path, new KubernetesTarget("discover", $"API {apiVersion}", null, null), null, null, cancellationToken);
            }
            catch (BpmnErrorException e) when (e.ErrorCode == KubernetesErrorCodes.NotFound)
            {
                list = null;
            }

            cache[path] = list;
        }

        return (list is null ? null : KubernetesResource.FromDiscovery(list, apiVersion, kind))
            ?? throw new BpmnErrorException(KubernetesErrorCodes.Invalid, $"{position}: the API server does not serve kind {kind} in {apiVersion}.");
    }
}
