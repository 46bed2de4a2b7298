using System.Globalization;
using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Kubernetes;

/// <summary>Restarts the pods of a workload the way <c>kubectl rollout restart</c> does: by stamping the
/// pod template with a <c>kubectl.kubernetes.io/restartedAt</c> annotation, which starts a rollout.</summary>
[Executor("k8s.rolloutRestart", DisplayName = "Kubernetes: rollout restart", Category = "Kubernetes",
    DisplayNameZh = "Kubernetes：滚动重启", Summary = "Rolling restart of a Deployment, StatefulSet or DaemonSet.",
    SummaryZh = "滚动重启 Deployment、StatefulSet 或 DaemonSet。",
    DescriptionZh = "滚动重启 Deployment、StatefulSet 或 DaemonSet（与 kubectl rollout restart 发送相同的 strategic-merge 补丁）。" + ErrorsDescriptionZh,
    Description = "Rolling restart of a Deployment, StatefulSet or DaemonSet (the strategic-merge patch kubectl rollout restart sends)." + ErrorsDescription)]
[Output("name", Type = "string")]
[Output("namespace", Type = "string")]
[Output("restartedAt", Type = "string", Description = "The RFC 3339 time written into the pod template.")]
public sealed class KubernetesRolloutRestartExecutor(KubernetesConnector connector) : KubernetesExecutor<KubernetesRolloutRestartExecutor.Inputs>(connector)
{
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    public enum RestartableKind
    {
        [OptionLabel("Deployment", "Deployment（无状态）")]
        Deployment,

        [OptionLabel("StatefulSet", "StatefulSet（有状态）")]
        StatefulSet,

        [OptionLabel("DaemonSet", "DaemonSet（守护进程集）")]
        DaemonSet,
    }

    public sealed record Inputs : KubernetesInputs
    {
        [Input(Description = "Kind of workload.", Default = "deployment", DescriptionZh = "工作负载类型。")]
        public RestartableKind Kind { get; init; } = RestartableKind.Deployment;

        [Input(Description = "Name of the workload.", Required = true, DescriptionZh = "工作负载名称。")]
        public string Name { get; init; } = "";
    }

    protected override async Task<JsonNode?> RunAsync(Inputs inputs, KubernetesConnection connection, string ns, ExecutorContext context, CancellationToken cancellationToken)
    {
        var name = KubernetesNames.Object(inputs.Name, "name");
        var resource = inputs.Kind switch
        {
            RestartableKind.StatefulSet => KubernetesResource.StatefulSet,
            RestartableKind.DaemonSet => KubernetesResource.DaemonSet,
            _ => KubernetesResource.Deployment,
        };
        var restartedAt = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var patch = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["annotations"] = new JsonObject { [RestartedAtAnnotation] = restartedAt },
                    },
                },
            },
        }.ToJsonString();
        await connection.SendAsync(HttpMethod.Patch, resource.ObjectPath(ns, name) + "?fieldManager=weops",
            new KubernetesTarget("patch", resource.Kind.ToLowerInvariant(), name, ns), patch, "application/strategic-merge-patch+json", cancellationToken);
        return new JsonObject { ["name"] = name, ["namespace"] = ns, ["restartedAt"] = restartedAt };
    }
}
