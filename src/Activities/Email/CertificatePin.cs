using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WeOps.Activities.Email;

/// <summary>Trust for a mail server's certificate: the system's judgement, or else one certificate named by its SHA-256
/// fingerprint (a self-signed internal server). Revocation is not checked: its lists live on the internet.</summary>
public static class CertificatePin
{
    public static bool Trusted(string? pinnedSha256, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (string.IsNullOrWhiteSpace(pinnedSha256) || certificate is null) return false;
        var actual = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
        var pinned = pinnedSha256.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Trim();
        return string.Equals(actual, pinned, StringComparison.OrdinalIgnoreCase);
    }
}
