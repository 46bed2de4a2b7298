using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Kubernetes;

/// <summary>Sets the replica count of a workload through its <c>scale</c> subresource, as <c>kubectl scale</c> does;
/// or moves it by a number of replicas within bounds, which is what a runbook that scales up under load needs:
/// it cannot know the count before the step reads it.</summary>
[Executor("k8s.scale", DisplayName = "Kubernetes: scale", Category = "Kubernetes",
    DisplayNameZh = "Kubernetes：扩缩容", Summary = "Sets or changes the replica count of a workload within limits.",
    SummaryZh = "在上下限内设置或调整工作负载的副本数。",
    DescriptionZh = "设置 Deployment、StatefulSet 或 ReplicaSet 的副本数（PATCH 其 scale 子资源），或在 minReplicas 与 maxReplicas 之间按数量增减；副本数不变时不做任何写入。" + ErrorsDescriptionZh,
    Description = "Sets the replicas of a Deployment, StatefulSet or ReplicaSet (PATCH of its scale subresource), "
        + "or changes them by a number within minReplicas and maxReplicas; nothing is written when the count would not change." + ErrorsDescription)]
[Output("name", Type = "string")]
[Output("namespace", Type = "string")]
[Output("replicas", Type = "integer", Description = "The replica count the API server accepted.")]
[Output("previousReplicas", Type = "integer", Description = "The replica count before the change.")]
public sealed class KubernetesScaleExecutor(KubernetesConnector connector) : KubernetesExecutor<KubernetesScaleExecutor.Inputs>(connector)
{
    public enum ScalableKind
    {
        [OptionLabel("Deployment", "Deployment（无状态）")]
        Deployment,

        [OptionLabel("StatefulSet", "StatefulSet（有状态）")]
        StatefulSet,

        [OptionLabel("ReplicaSet", "ReplicaSet（副本集）")]
        ReplicaSet,
    }

    public sealed record Inputs : KubernetesInputs
    {
        [Input(Description = "Kind of workload.", Default = "deployment", DescriptionZh = "工作负载类型。")]
        public ScalableKind Kind { get; init; } = ScalableKind.Deployment;

        [Input(Description = "Name of the workload.", Required = true, DescriptionZh = "工作负载名称。")]
        public string Name { get; init; } = "";

        [Input(Description = "Desired number of replicas (0 or more). Give this or 'by'.", DescriptionZh = "期望的副本数（0 或以上）。与 'by' 二选一。")]
        public int? Replicas { get; init; }

        [Input(Description = "Change the current count by this many (2 scales up by two, -1 down by one). Give this or 'replicas'.", DescriptionZh = "在当前副本数上增减（2 表示加两个，-1 表示减一个）。与 'replicas' 二选一。")]
        public int? By { get; init; }

        [Input(Description = "The fewest replicas the step leaves. Going down it stops here; a count already below is not lowered further.", DescriptionZh = "步骤保留的最少副本数。缩容到此为止；已低于此数的不再降低。")]
        public int? MinReplicas { get; init; }

        [Input(Description = "The most replicas the step leaves. Going up it stops here; a count already above is not raised further.", DescriptionZh = "步骤保留的最多副本数。扩容到此为止；已高于此数的不再增加。")]
        public int? MaxReplicas { get; init; }
    }

    protected override async Task<JsonNode?> RunAsync(Inputs inputs, KubernetesConnection connection, string ns, ExecutorContext context, CancellationToken cancellationToken)
    {
        var name = KubernetesNames.Object(inputs.Name, "name");
        Check(inputs);
        var resource = inputs.Kind switch
        {
            ScalableKind.StatefulSet => KubernetesResource.StatefulSet,
            ScalableKind.ReplicaSet => KubernetesResource.ReplicaSet,
            _ => KubernetesResource.Deployment,
        };
        var path = resource.ObjectPath(ns, name) + "/scale";
        var kind = resource.Kind.ToLowerInvariant();

        var before = await connection.SendAsync(HttpMethod.Get, path, new KubernetesTarget("get", $"{kind} scale", name, ns), null, null, cancellationToken);
        var current = Replicas(before) ?? 0;
        var wanted = Target(inputs, current);
        var replicas = current;
        if (wanted != current || inputs.By is null)
        {
            var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = wanted } }.ToJsonString();
            var after = await connection.SendAsync(HttpMethod.Patch, path, new KubernetesTarget("patch", $"{kind} scale", name, ns), patch, "application/merge-patch+json", cancellationToken);
            replicas = Replicas(after) ?? wanted;
        }

        return new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["replicas"] = replicas,
            ["previousReplicas"] = current,
        };
    }

    private static void Check(Inputs inputs)
    {
        if ((inputs.Replicas is null) == (inputs.By is null))
            throw new ExecutorInputException("k8s.scale: give either input 'replicas' (the count to set) or 'by' (the change to the current count).");
        if (inputs.Replicas < 0) throw new ExecutorInputException($"k8s.scale: input 'replicas' must be 0 or more, got {inputs.Replicas}.");
        if (inputs.MinReplicas < 0) throw new ExecutorInputException($"k8s.scale: input 'minReplicas' must be 0 or more, got {inputs.MinReplicas}.");
        if (inputs.MaxReplicas < 0) throw new ExecutorInputException($"k8s.scale: input 'maxReplicas' must be 0 or more, got {inputs.MaxReplicas}.");
        if (inputs.MinReplicas > inputs.MaxReplicas)
            throw new ExecutorInputException($"k8s.scale: input 'minReplicas' ({inputs.MinReplicas}) is more than 'maxReplicas' ({inputs.MaxReplicas}).");
    }

    /// <summary>The count to set. A set count is held within the bounds; a change stops at the bound it moves
    /// towards and never pushes a count that is already past it further out.</summary>
    private static int Target(Inputs inputs, int current)
    {
        if (inputs.Replicas is { } set) return Math.Clamp(set, inputs.MinReplicas ?? 0, inputs.MaxReplicas ?? int.MaxValue);
        var target = (int)Math.Clamp((long)current + inputs.By!.Value, 0, int.MaxValue);
        if (inputs.MaxReplicas is { } max && target > max) target = Math.Max(max, Math.Min(current, target));
        if (inputs.MinReplicas is { } min && target < min) target = Math.Min(min, Math.Max(current, target));
        return target;
    }

    // A Scale whose spec.replicas is zero may leave the field out.
    private static int? Replicas(JsonObject scale) =>
        scale["spec"]?["replicas"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) ? n : null;
}
