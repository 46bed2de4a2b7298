using System.Security.Cryptography;

namespace WeOps.Server.Auth;

/// <summary>Password hashes: PBKDF2 with SHA-256, a random salt per password, stored as
/// <c>pbkdf2-sha256$iterations$salt$hash</c> (base64) so the cost can be raised later without
/// invalidating what is stored.</summary>
public static class Passwords
{
    public const int MinLength = 12;
    public const int MaxLength = 256;
    private const int Iterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Hashed when nobody matches, so that "no such user" takes as long as "wrong password".</summary>
    private static readonly string Decoy = Hash("not a password anyone has");

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="stored"/>; a missing or
    /// malformed hash never matches, and costs the same time.</summary>
    public static bool Verify(string password, string? stored)
    {
        var parts = (stored ?? Decoy).Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out var iterations) || iterations is < 1 or > 10_000_000)
            parts = Decoy.Split('$');
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), HashAlgorithmName.SHA256, expected.Length);
            return stored is not null && CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
