using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace WeOps.Server.Auth;

/// <summary>Making, hashing and comparing API keys. A key is <c>weops_</c> and 32 random bytes in
/// base64url: with that much entropy a plain SHA-256 is enough, no slow password hash is needed.</summary>
public static class ApiKeySecret
{
    public const string Prefix = "weops_";

    /// <summary>No key we issue or accept is longer; longer presented values are refused unread.</summary>
    public const int MaxLength = 256;

    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Constant-time comparison of two hashes, so timing tells nothing about how much matched.</summary>
    public static bool HashesEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => CryptographicOperations.FixedTimeEquals(a, b);
}
