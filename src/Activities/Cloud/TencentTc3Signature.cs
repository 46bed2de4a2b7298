using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WeOps.Activities.Cloud;

/// <summary>Each stage of a TC3 signature, so that a mismatch can be located.</summary>
public sealed record TencentSignature(string CanonicalRequest, string StringToSign, string SignedHeaders, string Signature, string Authorization);

/// <summary>Tencent Cloud API 3.0 signature v3 (TC3-HMAC-SHA256), as given in its "Signature v3"
/// documentation and checked against the CVM DescribeInstances example there.</summary>
public static class TencentTc3Signature
{
    public const string Algorithm = "TC3-HMAC-SHA256";

    /// <summary>Signs a POST of <paramref name="payload"/> to the root path. <paramref name="headers"/> are
    /// the headers to sign (content-type and host at least); names and values are lower-cased and trimmed.</summary>
    public static TencentSignature Sign(
        string secretId,
        string secretKey,
        string service,
        IEnumerable<KeyValuePair<string, string>> headers,
        byte[] payload,
        long timestamp)
    {
        var sorted = headers
            .Select(h => (Name: h.Key.Trim().ToLowerInvariant(), Value: h.Value.Trim().ToLowerInvariant()))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var canonicalHeaders = string.Concat(sorted.Select(h => h.Name + ":" + h.Value + "\n"));
        var signedHeaders = string.Join(';', sorted.Select(h => h.Name));
        var canonicalRequest = string.Join('\n', "POST", "/", "", canonicalHeaders, signedHeaders, AwsSigV4.Hex(SHA256.HashData(payload)));

        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var scope = $"{date}/{service}/tc3_request";
        var stringToSign = string.Join('\n', Algorithm, timestamp.ToString(CultureInfo.InvariantCulture), scope,
            AwsSigV4.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = SigningKey(secretKey, date, service);
        var signature = AwsSigV4.Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = $"{Algorithm} Credential={secretId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new TencentSignature(canonicalRequest, stringToSign, signedHeaders, signature, authorization);
    }

    /// <summary>SecretSigning = HMAC(HMAC(HMAC("TC3" + secretKey, date), service), "tc3_request").</summary>
    public static byte[] SigningKey(string secretKey, string date, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("TC3" + secretKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "tc3_request"u8);
    }
}
