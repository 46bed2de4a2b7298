using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace WeOps.Server.Auth;

/// <summary>What a person gets for signing in with a password: a bearer token that names the user and
/// expires, protected with the cluster's Data Protection keys (so any node accepts it and nothing is
/// stored). The user's roles are read at each request, so a change of roles or a deleted user takes
/// effect at once.</summary>
public sealed class SessionTokens(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Prefix = "weops_session_";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    public const int MaxLength = 2048;

    private readonly ITimeLimitedDataProtector protector = protection.CreateProtector("WeOps.Session.v1").ToTimeLimitedDataProtector();

    public (string Token, DateTimeOffset ExpiresAt) Issue(string username)
    {
        var expires = time.GetUtcNow().Add(Lifetime);
        return (Prefix + protector.Protect(username, expires), expires);
    }

    /// <summary>The username a token was issued to, or null when it is not one of ours, was altered, or has expired.</summary>
    public string? Read(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > MaxLength) return null;
        try
        {
            var username = protector.Unprotect(token[Prefix.Length..], out var expires);
            return expires > time.GetUtcNow() ? username : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
