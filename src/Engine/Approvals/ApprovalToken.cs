using System.Security.Cryptography;
using System.Text;

namespace WeOps.Engine.Approvals;

/// <summary>Link tokens: 256 random bits in base64url; only their SHA-256 hash is stored.</summary>
public static class ApprovalToken
{
    /// <summary>43 characters of base64url; anything longer is not one of ours.</summary>
    public const int Length = 43;

    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether a text can be a token at all: checked before any lookup so garbage costs nothing.</summary>
    public static bool IsWellFormed(string? text) =>
        text is { Length: Length } && text.All(c => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_');

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
