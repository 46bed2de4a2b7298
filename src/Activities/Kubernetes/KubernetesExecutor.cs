using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Kubernetes;

/// <summary>The inputs every <c>k8s.*</c> step takes: which cluster, as whom, in which namespace.</summary>
public abstract record KubernetesInputs
{
    [Input(Description = "Name of a kubernetes credential (a kubeconfig, or server + token).", Required = true, UiHint = "credential", DescriptionZh = "kubernetes 凭据名称（kubeconfig，或 server + token）。")]
    public string Credential { get; init; } = "";

    [Input(Description = "kubeconfig context; when empty, the credential's context, else the kubeconfig's current-context.", DescriptionZh = "kubeconfig 上下文；留空用凭据中的上下文，否则用 kubeconfig 的 current-context。")]
    public string? Context { get; init; }

    [Input(Description = "Namespace; when empty, the context's namespace, else 'default'.", DescriptionZh = "命名空间；留空用上下文的命名空间，否则为 'default'。")]
    public string? Namespace { get; init; }
}

/// <summary>Base of the <c>k8s.*</c> executors: opens the connection and settles the namespace.</summary>
public abstract class KubernetesExecutor<TInputs>(KubernetesConnector connector) : Executor<TInputs>
    where TInputs : KubernetesInputs
{
    /// <summary>The error behaviour every <c>k8s.*</c> descriptor states.</summary>
    public const string ErrorsDescription =
        " BPMN errors: K8S_NOT_FOUND (404), K8S_FORBIDDEN (403, RBAC), K8S_UNAUTHORIZED (401, credential rejected), K8S_CONFLICT (409), K8S_INVALID (400/422)."
        + " Unreachable API server, 429 and 5xx answers are retried.";

    public const string ErrorsDescriptionZh =
        " BPMN 错误：K8S_NOT_FOUND（404）、K8S_FORBIDDEN（403，RBAC）、K8S_UNAUTHORIZED（401，凭据被拒）、K8S_CONFLICT（409）、K8S_INVALID（400/422）。"
        + "API 服务器不可达、429 和 5xx 应答会重试。";

    protected KubernetesOptions Options => connector.Options;

    protected sealed override async Task<JsonNode?> ExecuteAsync(TInputs inputs, ExecutorContext context, CancellationToken cancellationToken)
    {
        var connection = await connector.OpenAsync(inputs.Credential, inputs.Context, cancellationToken);
        var ns = KubernetesNames.Label(connection.Namespace(inputs.Namespace), "namespace");
        return await RunAsync(inputs, connection, ns, context, cancellationToken);
    }

    protected abstract Task<JsonNode?> RunAsync(TInputs inputs, KubernetesConnection connection, string ns, ExecutorContext context, CancellationToken cancellationToken);
}
