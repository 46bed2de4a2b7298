using WeOps.Activities.Credentials;
using WeOps.Activities.Network;

namespace WeOps.Activities.Kubernetes;

/// <summary>Turns a credential name (and context) into a <see cref="KubernetesConnection"/>, reusing
/// one HttpClient per API server and client identity.</summary>
public sealed class KubernetesConnector(ICredentialStore credentials, KubernetesOptions options, OutboundPolicy policy) : IDisposable
{
    private readonly KubernetesClients clients = new(options, policy);

    public KubernetesOptions Options => options;

    public async Task<KubernetesConnection> OpenAsync(string credentialName, string? context, CancellationToken cancellationToken)
    {
        var credential = await credentials.GetAsync(credentialName, cancellationToken);
        var endpoint = KubernetesEndpoint.FromCredential(credential, context);
        return new KubernetesConnection(endpoint, clients.For(endpoint), options);
    }

    public void Dispose() => clients.Dispose();
}
