using WeOps.Engine.Persistence;

namespace WeOps.Server.Auth;

/// <summary>Keys kept in memory until the process stops; the default until a database store is registered.</summary>
public sealed class InMemoryApiKeyStore : IApiKeyStore
{
    private readonly Lock gate = new();
    private readonly List<(ApiKey Key, byte[] Hash)> keys = [];

    public Task<ApiKeyPrincipal?> FindAsync(string presentedKey, CancellationToken cancellationToken)
    {
        var hash = ApiKeySecret.Hash(presentedKey);
        ApiKey? found = null;
        lock (gate)
        {
            // Every stored hash is compared, even after a match, so the time does not depend on where the key is.
            foreach (var (key, stored) in keys)
            {
                if (ApiKeySecret.HashesEqual(stored, hash)) found = key;
            }
        }

        return Task.FromResult(found is null ? null : new ApiKeyPrincipal(found.User ?? found.Name, found.Roles, found.Id));
    }

    public Task AddAsync(ApiKey key, byte[] keyHash, CancellationToken cancellationToken, AuditNote? audit = null)
    {
        lock (gate) keys.Add((key, keyHash.ToArray()));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<ApiKey>>(keys.Select(k => k.Key).ToList());
    }

    public Task<ApiKey?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(keys.Select(k => k.Key).FirstOrDefault(k => k.Id == id));
    }

    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken, AuditNote? audit = null)
    {
        lock (gate) return Task.FromResult(keys.RemoveAll(k => k.Key.Id == id) > 0);
    }

    public Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(keys.Count > 0);
    }
}
