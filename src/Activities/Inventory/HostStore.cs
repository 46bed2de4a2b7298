using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Activities.Inventory;

/// <summary>The host inventory in the database.</summary>
public sealed partial class HostStore(DatabaseOptions database, TimeProvider time) : IHostInventory
{
    public const int MaxTags = 50;
    public const int MaxKnownHostsLength = 16000;

    public async Task<IReadOnlyList<Host>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = Open();
        var rows = await db.Hosts.AsNoTracking().OrderBy(h => h.Name).ToListAsync(cancellationToken);
        return rows.Select(ToHost).ToList();
    }

    public async Task<Host?> FindAsync(string nameOrAddress, CancellationToken cancellationToken)
    {
        await using var db = Open();
        var row = await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Name == nameOrAddress, cancellationToken)
            ?? await db.Hosts.AsNoTracking().OrderBy(h => h.Name).FirstOrDefaultAsync(h => h.Address == nameOrAddress, cancellationToken);
        return row is null ? null : ToHost(row);
    }

    /// <summary>Creates or replaces a host; true when created. The caller has checked it with <see cref="Check"/>.</summary>
    public async Task<bool> SaveAsync(Host host, string? actor, CancellationToken cancellationToken, AuditNote? audit = null) =>
        (await SaveManyAsync([host], actor, cancellationToken, audit)) == 1;

    /// <summary>Creates or replaces hosts in one transaction, with the audit line; returns how many were created.
    /// The caller has checked each with <see cref="Check"/>.</summary>
    public async Task<int> SaveManyAsync(IReadOnlyList<Host> hosts, string? actor, CancellationToken cancellationToken, AuditNote? audit = null)
    {
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = Open();
        var names = hosts.Select(h => h.Name).ToList();
        var existing = await db.Hosts.Where(h => names.Contains(h.Name)).ToDictionaryAsync(h => h.Name, cancellationToken);
        var created = 0;
        foreach (var host in hosts)
        {
            if (!existing.TryGetValue(host.Name, out var row))
            {
                row = db.Hosts.Add(new HostRow { Name = host.Name, Address = host.Address, Tags = "[]" }).Entity;
                existing[host.Name] = row;
                created++;
            }

            row.Address = host.Address;
            row.Port = host.Port;
            row.User = host.User;
            row.Credential = host.Credential;
            row.Tags = JsonSerializer.Serialize(host.Tags);
            row.KnownHosts = host.KnownHosts;
            row.UpdatedAt = time.GetUtcNow().UtcDateTime;
            row.UpdatedBy = actor;
        }

        audit?.AddTo(db, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return created;
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken, AuditNote? audit = null)
    {
        using var gate = await database.EnterWriteAsync(cancellationToken);
        await using var db = Open();
        var row = await db.Hosts.FirstOrDefaultAsync(h => h.Name == name, cancellationToken);
        if (row is null) return false;
        db.Hosts.Remove(row);
        audit?.AddTo(db, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>What is wrong with a host, each naming the field. Addresses and users that begin with '-'
    /// are refused: ssh would read them as options.</summary>
    public static IReadOnlyList<string> Check(Host host)
    {
        var problems = new List<string>();
        if (!NamePattern().IsMatch(host.Name))
            problems.Add("name: 1 to 200 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        if (!IsAddress(host.Address))
            problems.Add("address: a host name or an IP address (at most 255 characters, not starting with '-').");
        if (host.Port is < 1 or > 65535)
            problems.Add("port: a port number from 1 to 65535.");
        if (host.User is not null && !UserPattern().IsMatch(host.User))
            problems.Add("user: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter, digit or '_'.");
        if (host.Credential is not null && !Credentials.CredentialKinds.IsValidName(host.Credential))
            problems.Add("credential: the name of a credential.");
        if (host.Tags.Count > MaxTags)
            problems.Add($"tags: at most {MaxTags}.");
        foreach (var (tag, i) in host.Tags.Select((t, i) => (t, i)))
            if (tag is null || !TagPattern().IsMatch(tag))
                problems.Add($"tags[{i}]: a tag is a word ('web') or key:value ('env:prod') of letters, digits, '.', '_', '-' or '/'.");
        if (host.KnownHosts is { } known)
        {
            if (known.Length > MaxKnownHostsLength)
                problems.Add($"knownHosts: at most {MaxKnownHostsLength} characters.");
            else
                foreach (var (line, i) in known.Split('\n').Select((l, i) => (l.Trim(), i)))
                    if (line.Length > 0 && !line.StartsWith('#') && !KnownHostsLine().IsMatch(line))
                        problems.Add($"knownHosts line {i + 1}: expected '<hosts> <key type> <base64 key>' as in a known_hosts file.");
        }

        return problems;
    }

    private static bool IsAddress(string address) =>
        address.Length is > 0 and <= 255 && !address.StartsWith('-')
        && (IPAddress.TryParse(address.Trim('[', ']'), out _) || HostNamePattern().IsMatch(address));

    private WeOpsDb Open() => database.Open();

    private static Host ToHost(HostRow row) =>
        new(row.Name, row.Address, row.Port, row.User, row.Credential, JsonSerializer.Deserialize<List<string>>(row.Tags) ?? [])
        {
            KnownHosts = row.KnownHosts,
        };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?$")]
    private static partial Regex HostNamePattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex UserPattern();

    [GeneratedRegex("^[A-Za-z0-9_.\\-/]{1,100}(:[A-Za-z0-9_.\\-/]{1,100})?$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^(@[a-z-]+ )?\\S+ (ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+ [A-Za-z0-9+/]+=*( .*)?$")]
    private static partial Regex KnownHostsLine();
}
