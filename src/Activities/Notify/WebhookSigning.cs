using System.Globalization;
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

    /// <summary>The header of a WeOps signature (<see cref="Generic"/>).</summary>
    public const string SignatureHeader = "X-WeOps-Signature";

    /// <summary>The header of the Unix time in seconds that a WeOps signature covers.</summary>
    public const string TimestampHeader = "X-WeOps-Timestamp";

    /// <summary>Our own webhooks, as WeOps' signed hooks check them: <c>sha256=</c> and the lower-case hex
    /// HMAC-SHA256 of <c>&lt;timestamp&gt;.&lt;body&gt;</c>, the timestamp in Unix seconds sent in
    /// <see cref="TimestampHeader"/>. Covering the timestamp lets a receiver refuse old and replayed deliveries.</summary>
    public static string Generic(string secret, long timestampSeconds, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(GenericMac(secret, timestampSeconds, body));

    /// <summary>The HMAC-SHA256 of <c>&lt;timestamp&gt;.&lt;body&gt;</c> keyed by the secret.</summary>
    public static byte[] GenericMac(string secret, long timestampSeconds, ReadOnlySpan<byte> body)
    {
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        mac.AppendData(Encoding.ASCII.GetBytes(timestampSeconds.ToString(CultureInfo.InvariantCulture) + "."));
        mac.AppendData(body);
        return mac.GetHashAndReset();
    }
}
