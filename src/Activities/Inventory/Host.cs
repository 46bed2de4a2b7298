namespace WeOps.Activities.Inventory;

/// <summary>A machine in the inventory: where to reach it, as whom, and how it is tagged. Tags are
/// plain (<c>web</c>) or key:value (<c>env:prod</c>).</summary>
public sealed record Host(
    string Name,
    string Address,
    int Port,
    string? User,
    string? Credential,
    IReadOnlyList<string> Tags)
{
    /// <summary>Lines in OpenSSH known_hosts format for this host's keys (empty when none are recorded).</summary>
    public string? KnownHosts { get; init; }
}

/// <summary>The host inventory as executors see it.</summary>
public interface IHostInventory
{
    Task<IReadOnlyList<Host>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The host whose name or address is <paramref name="nameOrAddress"/>, or null.</summary>
    Task<Host?> FindAsync(string nameOrAddress, CancellationToken cancellationToken);
}

/// <summary>An inventory held in memory: for tests and for the in-memory runtime.</summary>
public sealed class InMemoryHostInventory(IEnumerable<Host>? hosts = null) : IHostInventory
{
    private readonly List<Host> hosts = [.. hosts ?? []];

    public InMemoryHostInventory Add(Host host)
    {
        lock (hosts) hosts.Add(host);
        return this;
    }

    public Task<IReadOnlyList<Host>> ListAsync(CancellationToken cancellationToken)
    {
        lock (hosts) return Task.FromResult<IReadOnlyList<Host>>([.. hosts]);
    }

    public Task<Host?> FindAsync(string nameOrAddress, CancellationToken cancellationToken)
    {
        lock (hosts)
            return Task.FromResult(hosts.FirstOrDefault(h => h.Name == nameOrAddress) ?? hosts.FirstOrDefault(h => h.Address == nameOrAddress));
    }
}
