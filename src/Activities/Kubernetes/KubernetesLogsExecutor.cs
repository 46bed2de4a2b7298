using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Kubernetes;

/// <summary>Fetches a container's log; a long log is capped in the output and kept whole in the large-output store.</summary>
[Executor("k8s.logs", DisplayName = "Kubernetes: pod logs", Category = "Kubernetes",
    DisplayNameZh = "Kubernetes：Pod 日志", Summary = "Reads the log of a pod's container, also the crashed previous one.",
    SummaryZh = "读取 Pod 中容器的日志，也可读取上一次崩溃的容器。",
    DescriptionZh = "读取 Pod 中某个容器的日志（可选上一次已终止的实例）。过长的日志在 'log' 中截断，完整内容保存在 'logRef'。" + ErrorsDescriptionZh,
    Description = "Reads the log of a pod's container (optionally the previous, crashed one). A long log is capped in 'log' and stored whole under 'logRef'." + ErrorsDescription)]
[Output("pod", Type = "string")]
[Output("log", Type = "string", Description = "The log text, capped.")]
[Output("truncated", Type = "boolean", Description = "Whether 'log' is not the whole log.")]
[Output("logRef", Type = "string", Description = "Reference of the whole log in the large-output store when 'log' was capped; else null.")]
public sealed class KubernetesLogsExecutor(KubernetesConnector connector) : KubernetesExecutor<KubernetesLogsExecutor.Inputs>(connector)
{
    public sealed record Inputs : KubernetesInputs
    {
        [Input(Description = "Name of the pod.", Required = true, DescriptionZh = "Pod 名称。")]
        public string Pod { get; init; } = "";

        [Input(Description = "Container; may be empty when the pod has one.", DescriptionZh = "容器名；Pod 只有一个容器时可留空。")]
        public string? Container { get; init; }

        [Input(Description = "Only the last N lines.", DescriptionZh = "只取最后 N 行。")]
        public int? TailLines { get; init; }

        [Input(Description = "Only lines written in the last N seconds.", DescriptionZh = "只取最近 N 秒内写入的行。")]
        public int? SinceSeconds { get; init; }

        [Input(Description = "The log of the previous (terminated) instance of the container: why it crashed.", Default = "false", DescriptionZh = "读取该容器上一次（已终止）实例的日志：看它为什么崩溃。")]
        public bool Previous { get; init; }
    }

    protected override async Task<JsonNode?> RunAsync(Inputs inputs, KubernetesConnection connection, string ns, ExecutorContext context, CancellationToken cancellationToken)
    {
        var pod = KubernetesNames.Object(inputs.Pod, "pod");
        var query = new List<string>();
        if (!string.IsNullOrEmpty(inputs.Container)) query.Add("container=" + Uri.EscapeDataString(KubernetesNames.Label(inputs.Container, "container")));
        if (inputs.TailLines is { } tail)
        {
            if (tail < 0) throw new ExecutorInputException($"k8s.logs: input 'tailLines' must be 0 or more, got {tail}.");
            query.Add($"tailLines={tail}");
        }

        if (inputs.SinceSeconds is { } since)
        {
            if (since < 1) throw new ExecutorInputException($"k8s.logs: input 'sinceSeconds' must be 1 or more, got {since}.");
            query.Add($"sinceSeconds={since}");
        }

        if (inputs.Previous) query.Add("previous=true");
        query.Add($"limitBytes={Options.MaxLogBytes}");
        var path = KubernetesResource.Pod.ObjectPath(ns, pod) + "/log?" + string.Join('&', query);

        var (text, cutByServer) = await connection.GetTextAsync(path, new KubernetesTarget("get log of", "pod", pod, ns), Options.MaxLogBytes, cancellationToken);
        var (log, cut) = LargeOutput.Cap(text, Options.MaxLogChars);
        string? reference = null;
        if (cut) reference = await context.LargeOutputs.SaveAsync(context.InstanceId, context.ElementId, "log", text, cancellationToken);
        return new JsonObject
        {
            ["pod"] = pod,
            ["log"] = log,
            // The server stops at limitBytes without saying so: a log that long was most likely cut.
            ["truncated"] = cut || cutByServer || System.Text.Encoding.UTF8.GetByteCount(text) >= Options.MaxLogBytes,
            ["logRef"] = reference,
        };
    }
}
