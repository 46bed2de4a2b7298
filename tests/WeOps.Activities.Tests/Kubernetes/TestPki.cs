using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WeOps.Activities.Tests.Kubernetes;

/// <summary>A throw-away CA with a server certificate for 127.0.0.1 and client certificates signed by it.</summary>
public sealed class TestPki : IDisposable
{
    private static readonly DateTimeOffset NotBefore = DateTimeOffset.UtcNow.AddHours(-1);
    private static readonly DateTimeOffset NotAfter = DateTimeOffset.UtcNow.AddDays(1);

    public TestPki(string caName = "weops-test-ca")
    {
        using var caKey = RSA.Create(2048);
        var request = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Ca = Persist(request.CreateSelfSigned(NotBefore, NotAfter));
        CaPem = Ca.ExportCertificatePem();

        using var serverKey = RSA.Create(2048);
        var server = new CertificateRequest("CN=kube-apiserver", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        server.CertificateExtensions.Add(names.Build());
        server.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        server.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        server.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        server.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        using var signed = server.Create(Ca, NotBefore, NotAfter, Serial());
        ServerCertificate = Persist(signed.CopyWithPrivateKey(serverKey));
    }

    public X509Certificate2 Ca { get; }
    public string CaPem { get; }
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>A client certificate for <paramref name="user"/> (CN) in <paramref name="group"/> (O), as PEM
    /// certificate and key; the key is PKCS#1 RSA or SEC1 EC, as kubeconfigs usually hold them.</summary>
    public (string CertificatePem, string KeyPem) IssueClient(string user, string group = "system:masters", bool ec = false)
    {
        AsymmetricAlgorithm key = ec ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        using (key)
        {
            var request = new CertificateRequest(new X500DistinguishedName($"CN={user}, O={group}"), new PublicKey(key), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | (ec ? 0 : X509KeyUsageFlags.KeyEncipherment), true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
            // An EC subject under an RSA CA needs the CA's signature generator named explicitly.
            using var caKey = Ca.GetRSAPrivateKey()!;
            using var certificate = request.Create(Ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), NotBefore, NotAfter, Serial());
            var keyPem = key is RSA rsa ? rsa.ExportRSAPrivateKeyPem() : ((ECDsa)key).ExportECPrivateKeyPem();
            return (certificate.ExportCertificatePem(), keyPem);
        }
    }

    /// <summary>Whether <paramref name="certificate"/> was issued by this CA.</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        Ca.Dispose();
        ServerCertificate.Dispose();
    }

    // Go rejects negative serial numbers, and a DER integer with its top bit set is negative.
    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    // Round-trip through PKCS#12 so the TLS stack gets a key it can use, not an ephemeral one.
    private static X509Certificate2 Persist(X509Certificate2 certificate)
    {
        using (certificate)
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
