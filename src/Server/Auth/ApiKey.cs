namespace WeOps.Server.Auth;

/// <summary>A stored API key as the API shows it: never its secret, nor its hash.</summary>
public sealed record ApiKey(Guid Id, string Name, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt)
{
    /// <summary>The user the key belongs to (callers with it act as that user), or null for a machine's key.</summary>
    public string? User { get; init; }
}

/// <summary>Who called: the name and roles behind a presented key. <see cref="KeyId"/> is null for the
/// configured admin key, which is not stored.</summary>
public sealed record ApiKeyPrincipal(string Name, IReadOnlyList<string> Roles, Guid? KeyId);
