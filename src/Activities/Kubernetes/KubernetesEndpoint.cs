using System.Security.Cryptography;
using System.Text;
using WeOps.Activities.Credentials;

namespace WeOps.Activities.Kubernetes;

/// <summary>One API server as one identity: its address, the CA to trust it by, and the token and/or
/// client certificate (PEM) to present. <see cref="Source"/> says where it came from, for messages.</summary>
public sealed record KubernetesEndpoint(
    Uri Server,
    string? CertificateAuthorityPem,
    bool InsecureSkipTlsVerify,
    string? Token,
    string? ClientCertificatePem,
    string? ClientKeyPem,
    string? Namespace,
    string Source)
{
    /// <summary>Identifies the transport (server, trust, client certificate) without revealing it:
    /// endpoints with the same key share one HttpClient. The token is sent per request and is not part of it.</summary>
    public string TransportKey()
    {
        var material = string.Join('\0', Server.AbsoluteUri, CertificateAuthorityPem, InsecureSkipTlsVerify, ClientCertificatePem, ClientKeyPem);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }

    /// <summary>The endpoint a kubernetes credential names: its <c>kubeconfig</c> at <paramref name="context"/>
    /// (else the credential's <c>context</c>, else current-context), or its <c>server</c> + <c>token</c>
    /// (+ <c>certificateAuthority</c> PEM).</summary>
    public static KubernetesEndpoint FromCredential(Credential credential, string? context)
    {
        credential.Expect(CredentialKind.Kubernetes);
        try
        {
            if (credential.Optional("kubeconfig") is { } kubeconfig)
                return Kubeconfig.Parse(kubeconfig).Resolve(string.IsNullOrEmpty(context) ? credential.Optional("context") : context);
            if (!string.IsNullOrEmpty(context))
                throw new KubeconfigException($"context '{context}' was asked for, but the credential holds a server and token, not a kubeconfig.");
            var server = credential.Require("server");
            if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                throw new KubeconfigException($"server '{server}' is not an http(s) URL.");
            return new KubernetesEndpoint(uri, credential.Optional("certificateAuthority"), false, credential.Require("token"), null, null, null, "server and token");
        }
        catch (KubeconfigException e)
        {
            throw new KubeconfigException($"Credential '{credential.Name}': {e.Message}");
        }
    }

    // Records print their members; an endpoint holds secrets.
    public override string ToString() => $"KubernetesEndpoint {Server} ({Source})";
}
