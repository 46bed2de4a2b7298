namespace WeOps.Activities.Kubernetes;

/// <summary>Limits of the <c>k8s.*</c> executors.</summary>
public sealed record KubernetesOptions
{
    /// <summary>Largest JSON response read from the API server; a larger one fails the step.</summary>
    public long MaxResponseBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Most bytes of a pod log fetched (sent to the server as <c>limitBytes</c>).</summary>
    public long MaxLogBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Most characters of a log kept in the step's output; the whole log goes to the large-output store.</summary>
    public int MaxLogChars { get; init; } = 64 * 1024;

    /// <summary>Largest manifest <c>k8s.apply</c> accepts.</summary>
    public int MaxManifestChars { get; init; } = 1024 * 1024;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A bound on one request in case the step has no timeout of its own.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
