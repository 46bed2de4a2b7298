using System.Security.Cryptography;
using System.Text;

namespace WeOps.Activities.Cloud;

/// <summary>Alibaba Cloud's RPC-style signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0), as
/// given in its "Signature mechanism" documentation and checked against the worked example there.</summary>
public static class AliyunRpcSignature
{
    /// <summary><c>METHOD&amp;%2F&amp;</c> followed by the encoded, sorted, encoded-again parameter list.
    /// <paramref name="parameters"/> must not hold <c>Signature</c>.</summary>
    public static string StringToSign(string method, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var canonical = string.Join('&', parameters
            .Select(p => (Name: UriEncoding.Encode(p.Key), Value: UriEncoding.Encode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
        return method.ToUpperInvariant() + "&" + UriEncoding.Encode("/") + "&" + UriEncoding.Encode(canonical);
    }

    /// <summary>Base64(HMAC-SHA1(secret + "&amp;", stringToSign)).</summary>
    public static string Sign(string stringToSign, string accessKeySecret) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret + "&"), Encoding.UTF8.GetBytes(stringToSign)));
}
