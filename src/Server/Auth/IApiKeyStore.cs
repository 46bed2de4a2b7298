using WeOps.Engine.Persistence;

namespace WeOps.Server.Auth;

/// <summary>Where API keys live. A store keeps only the SHA-256 hash of a key (<see cref="ApiKeySecret.Hash"/>),
/// never the key itself, and matches a presented key with <see cref="ApiKeySecret.HashesEqual"/>.
/// The in-memory store is the default; the database store replaces it.</summary>
public interface IApiKeyStore
{
    /// <summary>The principal of the key whose hash matches the presented key, or null.</summary>
    Task<ApiKeyPrincipal?> FindAsync(string presentedKey, CancellationToken cancellationToken);

    /// <summary>Stores a new key by its hash; the caller generated the key and shows it once. A store in the
    /// database saves <paramref name="audit"/> in the same transaction.</summary>
    Task AddAsync(ApiKey key, byte[] keyHash, CancellationToken cancellationToken, AuditNote? audit = null);

    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken);

    Task<ApiKey?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Removes a key; false when there was none with that id. A removed key stops working at once.</summary>
    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken, AuditNote? audit = null);

    /// <summary>Whether any key is stored (to warn at startup when nobody could call the API).</summary>
    Task<bool> AnyAsync(CancellationToken cancellationToken);
}
