using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Kubernetes;

/// <summary>Lists pods by label (and field) selector with what a runbook branches on: phase, readiness, restarts.</summary>
[Executor("k8s.getPods", DisplayName = "Kubernetes: get pods", Category = "Kubernetes",
    DisplayNameZh = "Kubernetes：查询 Pod", Summary = "Lists the pods of a namespace that match a label selector.",
    SummaryZh = "列出命名空间中与标签选择器匹配的 Pod。",
    DescriptionZh = "列出某命名空间中与标签选择器（app=web,tier in (front)）及可选字段选择器匹配的 Pod。" + ErrorsDescriptionZh,
    Description = "Lists the pods of a namespace that match a label selector (app=web,tier in (front)) and optional field selector." + ErrorsDescription)]
[Output("pods", Type = "array", Description = "[{name, phase, ready, restarts, node, ip, startTime}]")]
[Output("count", Type = "integer")]
public sealed partial class KubernetesGetPodsExecutor(KubernetesConnector connector) : KubernetesExecutor<KubernetesGetPodsExecutor.Inputs>(connector)
{
    public sealed record Inputs : KubernetesInputs
    {
        [Input(Description = "Label selector, as kubectl -l takes it: app=web, tier in (front,back), !canary. Empty lists every pod.", DescriptionZh = "标签选择器，写法同 kubectl -l：app=web, tier in (front,back), !canary。留空列出全部 Pod。")]
        public string? LabelSelector { get; init; }

        [Input(Description = "Field selector: status.phase=Running, spec.nodeName=node-1, metadata.name!=x.", DescriptionZh = "字段选择器：status.phase=Running, spec.nodeName=node-1, metadata.name!=x。")]
        public string? FieldSelector { get; init; }
    }

    protected override async Task<JsonNode?> RunAsync(Inputs inputs, KubernetesConnection connection, string ns, ExecutorContext context, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(inputs.LabelSelector))
        {
            try
            {
                LabelSelector.Parse(inputs.LabelSelector);
            }
            catch (FormatException e)
            {
                throw new ExecutorInputException($"k8s.getPods: input 'labelSelector' is not a label selector: {e.Message}");
            }

            query.Add("labelSelector=" + Uri.EscapeDataString(inputs.LabelSelector.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(inputs.FieldSelector))
        {
            var field = inputs.FieldSelector.Trim();
            if (field.Length > 4096 || !FieldSelectorPattern().IsMatch(field))
                throw new ExecutorInputException($"k8s.getPods: input 'fieldSelector' must be field=value pairs separated by commas (operators =, ==, !=), got '{(field.Length > 60 ? field[..60] + "…" : field)}'.");
            query.Add("fieldSelector=" + Uri.EscapeDataString(field));
        }

        var path = KubernetesResource.Pod.CollectionPath(ns) + (query.Count == 0 ? "" : "?" + string.Join('&', query));
        var list = await connection.SendAsync(HttpMethod.Get, path, new KubernetesTarget("list", "pods", null, ns), null, null, cancellationToken);
        var pods = new JsonArray();
        foreach (var pod in (list["items"] as JsonArray ?? []).OfType<JsonObject>()) pods.Add(Summarise(pod));
        return new JsonObject { ["pods"] = pods, ["count"] = pods.Count };
    }

    private static JsonObject Summarise(JsonObject pod)
    {
        var status = pod["status"] as JsonObject;
        var ready = (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => Text(c["type"]) == "Ready" && Text(c["status"]) == "True");
        var restarts = (status?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>()
            .Sum(c => c["restartCount"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0);
        return new JsonObject
        {
            ["name"] = Text(pod["metadata"]?["name"]),
            ["phase"] = Text(status?["phase"]),
            ["ready"] = ready,
            ["restarts"] = restarts,
            ["node"] = Text(pod["spec"]?["nodeName"]),
            ["ip"] = Text(status?["podIP"]),
            ["startTime"] = Text(status?["startTime"]),
        };
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    [GeneratedRegex(@"^[A-Za-z0-9.]+\s*(=|==|!=)\s*[^,=!]*(,[A-Za-z0-9.]+\s*(=|==|!=)\s*[^,=!]*)*\z")]
    private static partial Regex FieldSelectorPattern();
}
