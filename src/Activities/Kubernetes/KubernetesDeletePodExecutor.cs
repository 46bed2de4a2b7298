using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Kubernetes;

/// <summary>Deletes a pod, so its controller replaces it: the classic "kill the stuck pod" remediation.</summary>
[Executor("k8s.deletePod", DisplayName = "Kubernetes: delete pod", Category = "Kubernetes",
    DisplayNameZh = "Kubernetes：删除 Pod", Summary = "Deletes a pod so that its controller starts a fresh one.",
    SummaryZh = "删除 Pod，由其控制器重新拉起一个新的。",
    DescriptionZh = "删除一个 Pod（其控制器会启动新的 Pod）。Pod 已不存在时返回 K8S_NOT_FOUND。" + ErrorsDescriptionZh,
    Description = "Deletes a pod (its controller starts a new one). A pod that is already gone gives K8S_NOT_FOUND." + ErrorsDescription)]
[Output("name", Type = "string")]
[Output("namespace", Type = "string")]
[Output("deleted", Type = "boolean")]
public sealed class KubernetesDeletePodExecutor(KubernetesConnector connector) : KubernetesExecutor<KubernetesDeletePodExecutor.Inputs>(connector)
{
    public sealed record Inputs : KubernetesInputs
    {
        [Input(Description = "Name of the pod.", Required = true, DescriptionZh = "Pod 名称。")]
        public string Name { get; init; } = "";

        [Input(Description = "Seconds the pod gets to stop; the pod's own setting when empty, 0 to delete at once.", DescriptionZh = "Pod 停止的宽限秒数；留空用 Pod 自己的设置，0 表示立即删除。")]
        public int? GracePeriodSeconds { get; init; }
    }

    protected override async Task<JsonNode?> RunAsync(Inputs inputs, KubernetesConnection connection, string ns, ExecutorContext context, CancellationToken cancellationToken)
    {
        var name = KubernetesNames.Object(inputs.Name, "name");
        if (inputs.GracePeriodSeconds is < 0)
            throw new ExecutorInputException($"k8s.deletePod: input 'gracePeriodSeconds' must be 0 or more, got {inputs.GracePeriodSeconds}.");
        var options = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = "Background" };
        if (inputs.GracePeriodSeconds is { } grace) options["gracePeriodSeconds"] = grace;
        await connection.SendAsync(HttpMethod.Delete, KubernetesResource.Pod.ObjectPath(ns, name),
            new KubernetesTarget("delete", "pod", name, ns), options.ToJsonString(), "application/json", cancellationToken);
        return new JsonObject { ["name"] = name, ["namespace"] = ns, ["deleted"] = true };
    }
}
