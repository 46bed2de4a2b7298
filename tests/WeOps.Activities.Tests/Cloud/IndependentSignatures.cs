using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace WeOps.Activities.Tests.Cloud;

/// <summary>What the emulated providers do with an incoming request: recompute its signature from the raw
/// request and the secret they know, written apart from the product's signers (so a canonicalisation
/// mistake there cannot be repeated here), following the providers' documentation.</summary>
public static class IndependentSignatures
{
    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static byte[] Hmac(byte[] key, string text)
    {
        using var mac = new HMACSHA256(key);
        return mac.ComputeHash(Encoding.UTF8.GetBytes(text));
    }

    private static Dictionary<string, string> AuthorizationFields(string authorization, string algorithm)
    {
        if (!authorization.StartsWith(algorithm + " ", StringComparison.Ordinal)) return [];
        return authorization[(algorithm.Length + 1)..]
            .Split(',', StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => kv[1]);
    }

    /// <summary>AWS SigV4 for a form POST to "/": true when the Authorization header is what the secret gives.</summary>
    public static bool AwsValid(HttpContext context, byte[] body, string accessKeyId, string secret, string region, string service)
    {
        var fields = AuthorizationFields(context.Request.Headers.Authorization.ToString(), "AWS4-HMAC-SHA256");
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders)
            || !fields.TryGetValue("Signature", out var signature))
        {
            return false;
        }

        var scope = credential.Split('/');
        var amzDate = context.Request.Headers["X-Amz-Date"].ToString();
        if (scope.Length != 5 || scope[0] != accessKeyId || scope[2] != region || scope[3] != service || scope[4] != "aws4_request"
            || amzDate.Length != 16 || !amzDate.StartsWith(scope[1], StringComparison.Ordinal))
        {
            return false;
        }

        var names = signedHeaders.Split(';');
        if (!names.Contains("host") || !names.Contains("x-amz-date")) return false;
        var canonicalHeaders = new StringBuilder();
        foreach (var name in names)
            canonicalHeaders.Append(name).Append(':').Append(string.Join(' ', context.Request.Headers[name].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))).Append('\n');

        var canonicalRequest = context.Request.Method + "\n" + context.Request.Path.Value + "\n" + "" + "\n"
            + canonicalHeaders + "\n" + signedHeaders + "\n" + Hex(SHA256.HashData(body));
        var stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + string.Join('/', scope.Skip(1)) + "\n"
            + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), scope[1]), region), service), "aws4_request");
        return Hex(Hmac(key, stringToSign)) == signature;
    }

    /// <summary>Alibaba Cloud RPC: true when the query's Signature is what the secret gives.</summary>
    public static bool AliyunValid(HttpContext context, string secret)
    {
        var pairs = (context.Request.QueryString.Value ?? "").TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(kv => (Name: Uri.UnescapeDataString(kv[0]), Value: kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : ""))
            .ToList();
        var given = pairs.Where(p => p.Name == "Signature").Select(p => p.Value).SingleOrDefault();
        if (given is null) return false;

        // Uri.EscapeDataString leaves exactly RFC 3986's unreserved set alone, which is Alibaba Cloud's rule.
        var canonical = string.Join('&', pairs
            .Where(p => p.Name != "Signature")
            .Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value))
            .Order(StringComparer.Ordinal));
        var stringToSign = context.Request.Method + "&%2F&" + Uri.EscapeDataString(canonical);
        using var mac = new HMACSHA1(Encoding.UTF8.GetBytes(secret + "&"));
        return Convert.ToBase64String(mac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign))) == given;
    }

    /// <summary>Tencent Cloud TC3 for a JSON POST to "/": true when the Authorization header is what the secret gives.</summary>
    public static bool TencentValid(HttpContext context, byte[] body, string secretId, string secretKey, string service)
    {
        var fields = AuthorizationFields(context.Request.Headers.Authorization.ToString(), "TC3-HMAC-SHA256");
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders)
            || !fields.TryGetValue("Signature", out var signature))
        {
            return false;
        }

        var scope = credential.Split('/');
        if (!long.TryParse(context.Request.Headers["X-TC-Timestamp"].ToString(), out var timestamp)) return false;
        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (scope.Length != 4 || scope[0] != secretId || scope[1] != date || scope[2] != service || scope[3] != "tc3_request") return false;

        var names = signedHeaders.Split(';');
        if (!names.Contains("content-type") || !names.Contains("host")) return false;
        var canonicalHeaders = string.Concat(names.Select(n => n + ":" + context.Request.Headers[n].ToString().Trim().ToLowerInvariant() + "\n"));
        var canonicalRequest = "POST\n/\n\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + Hex(SHA256.HashData(body));
        var stringToSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + date + "/" + service + "/tc3_request\n"
            + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));
        var key = Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("TC3" + secretKey), date), service), "tc3_request");
        return Hex(Hmac(key, stringToSign)) == signature;
    }
}
