using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Kubernetes;

/// <summary>Sets the replica count of a workload through its <c>scale</c> subresource, as <c>kubectl scale</c> does.</summary>
[Executor("k8s.scale", DisplayName = "Kubernetes: scale", Category = "Kubernetes",
    Description = "Sets the replicas of a Deployment, StatefulSet or ReplicaSet (PATCH of its scale subresource)." + ErrorsDescription)]
[Output("name", Type = "string")]
[Output("namespace", Type = "string")]
[Output("replicas", Type = "integer", Description = "The replica count the API server accepted.")]
[Output("previousReplicas", Type = "integer", Description = "The replica count before the change.")]
public sealed class KubernetesScaleExecutor(KubernetesConnector connector) : KubernetesExecutor<KubernetesScaleExecutor.Inputs>(connector)
{
    public enum ScalableKind { Deployment, StatefulSet, ReplicaSet }

    public sealed record Inputs : KubernetesInputs
    {
        [Input(Description = "Kind of workload.", Default = "deployment")]
        public ScalableKind Kind { get; init; } = ScalableKind.Deployment;

        [Input(Description = "Name of the workload.", Required = true)]
        public string Name { get; init; } = "";

        [Input(Description = "Desired number of replicas (0 or more).", Required = true)]
        public int Replicas { get; init; }
    }

    protected override async Task<JsonNode?> RunAsync(Inputs inputs, KubernetesConnection connection, string ns, ExecutorContext context, CancellationToken cancellationToken)
    {
        var name = KubernetesNames.Object(inputs.Name, "name");
        if (inputs.Replicas < 0) throw new ExecutorInputException($"k8s.scale: input 'replicas' must be 0 or more, got {inputs.Replicas}.");
        var resource = inputs.Kind switch
        {
            ScalableKind.StatefulSet => KubernetesResource.StatefulSet,
            ScalableKind.ReplicaSet => KubernetesResource.ReplicaSet,
            _ => KubernetesResource.Deployment,
        };
        var path = resource.ObjectPath(ns, name) + "/scale";
        var kind = resource.Kind.ToLowerInvariant();

        var before = await connection.SendAsync(HttpMethod.Get, path, new KubernetesTarget("get", $"{kind} scale", name, ns), null, null, cancellationToken);
        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = inputs.Replicas } }.ToJsonString();
        var after = await connection.SendAsync(HttpMethod.Patch, path, new KubernetesTarget("patch", $"{kind} scale", name, ns), patch, "application/merge-patch+json", cancellationToken);
        return new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["replicas"] = Replicas(after) ?? inputs.Replicas,
            ["previousReplicas"] = Replicas(before) ?? 0,
        };
    }

    // A Scale whose spec.replicas is zero may leave the field out.
    private static int? Replicas(JsonObject scale) =>
        scale["spec"]?["replicas"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) ? n : null;
}
