using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WeOps.Activities.Network;

namespace WeOps.Activities.Kubernetes;

/// <summary>One pooled HttpClient per API server and client identity, trusting only the CA the
/// kubeconfig gives (or the system's roots when it gives none), never skipping verification unless
/// the kubeconfig says insecure-skip-tls-verify.</summary>
public sealed class KubernetesClients(KubernetesOptions options, OutboundPolicy policy) : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> clients = new(StringComparer.Ordinal);

    public HttpClient For(KubernetesEndpoint endpoint)
    {
        // Build the handler first so a bad PEM fails this call instead of being cached.
        var key = endpoint.TransportKey();
        if (clients.TryGetValue(key, out var existing)) return existing;
        var client = Create(endpoint);
        var winner = clients.GetOrAdd(key, client);
        if (!ReferenceEquals(winner, client)) client.Dispose();
        return winner;
    }

    public void Dispose()
    {
        foreach (var client in clients.Values) client.Dispose();
        clients.Clear();
    }

    private HttpClient Create(KubernetesEndpoint endpoint)
    {
        var roots = endpoint.CertificateAuthorityPem is { } caPem ? LoadRoots(caPem, endpoint.Source) : null;
        var clientCertificate = endpoint.ClientCertificatePem is { } certPem && endpoint.ClientKeyPem is { } keyPem
            ? LoadClientCertificate(certPem, keyPem, endpoint.Source)
            : null;
        var insecure = endpoint.InsecureSkipTlsVerify;
        var ssl = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Trusted(roots, insecure, certificate, chain, errors),
        };
        if (clientCertificate is not null)
        {
            ssl.ClientCertificates = [clientCertificate];
            // The API server may name no acceptable issuers; offer the configured certificate regardless.
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        var handler = new SocketsHttpHandler
        {
            ConnectCallback = policy.ConnectAsync,
            UseProxy = OutboundPolicy.UseProxy,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.GZip,
            AllowAutoRedirect = false,
            SslOptions = ssl,
        };
        return new HttpClient(handler) { BaseAddress = endpoint.Server, Timeout = options.RequestTimeout };
    }

    private static bool Trusted(X509Certificate2Collection? roots, bool insecure, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (insecure) return true;
        if (roots is null) return errors == SslPolicyErrors.None;
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;

        // The kubeconfig's CA replaces the system roots, as it does for kubectl.
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements.Skip(1)) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }

    private static X509Certificate2Collection LoadRoots(string pem, string source)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(pem);
        }
        catch (CryptographicException)
        {
            throw new KubeconfigException($"{source}: the certificate authority is not a PEM certificate.");
        }

        if (roots.Count == 0) throw new KubeconfigException($"{source}: the certificate authority holds no PEM certificate.");
        return roots;
    }

    private static X509Certificate2 LoadClientCertificate(string certificatePem, string keyPem, string source)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            // TLS client authentication wants a key the platform can use outside this object's lifetime.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw new KubeconfigException($"{source}: the client certificate or its key cannot be loaded ({e.Message}).");
        }
    }
}
