using System.Security.Cryptography;
using System.Text;

namespace WeOps.Activities.Notify;

/// <summary>The signatures chat platforms ask of their incoming webhooks.</summary>
public static class WebhookSigning
{
    /// <summary>DingTalk custom robot: Base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)),
    /// timestamp in milliseconds. Sent URL-encoded as the <c>sign</c> query parameter.</summary>
    public static string DingTalk(string secret, long timestampMs)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var message = Encoding.UTF8.GetBytes($"{timestampMs}\n{secret}");
        return Convert.ToBase64String(HMACSHA256.HashData(key, message));
    }

    /// <summary>Feishu/Lark custom bot: Base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)),
    /// timestamp in seconds. Sent in the body as <c>sign</c>.</summary>
    public static string Feishu(string secret, long timestampSeconds)
    {
        var key = Encoding.UTF8.GetBytes($"{timestampSeconds}\n{secret}");
        return Convert.ToBase64String(HMACSHA256.HashData(key, ReadOnlySpan<byte>.Empty));
    }

    /// <summary>Our own webhooks: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of the body bytes,
    /// as GitHub signs its deliveries.</summary>
    public static string Generic(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
