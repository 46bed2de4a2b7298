using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using WeOps.Activities.Inventory;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Ssh;

/// <summary>One machine a command runs on, as resolved from the <c>hosts</c> input: <see cref="Name"/>
/// is how the output names it (the inventory name, or the item as written).</summary>
public sealed record SshTarget(string Name, string Address, int? Port, string? User, string? Credential, string? KnownHosts)
{
    /// <summary>The port was written in the item (<c>10.0.0.5:2222</c>): the <c>port</c> input does not change it.</summary>
    public bool PortWritten { get; init; }
}

/// <summary>Turns the items of a <c>hosts</c> input (inventory names, addresses, tag filters) into
/// targets, each machine once.</summary>
public static partial class SshTargets
{
    /// <exception cref="ExecutorInputException">An item is neither in the inventory nor an address, a
    /// tag filter is malformed or matches nothing, or nothing is left.</exception>
    public static async Task<IReadOnlyList<SshTarget>> ResolveAsync(IReadOnlyList<string> items, IHostInventory inventory, CancellationToken cancellationToken)
    {
        var targets = new List<SshTarget>();
        var seen = new HashSet<(string, int?)>();
        IReadOnlyList<Host>? all = null;
        foreach (var raw in items)
        {
            var item = raw.Trim();
            if (item.Length == 0)
                throw new ExecutorInputException("ssh.exec: 'hosts' has an empty item.");
            IEnumerable<SshTarget> found;
            if (TagFilter.IsFilter(item))
            {
                TagFilter filter;
                try
                {
                    filter = TagFilter.Parse(item);
                }
                catch (FormatException e)
                {
                    throw new ExecutorInputException($"ssh.exec: {e.Message}");
                }

                all ??= await inventory.ListAsync(cancellationToken);
                var matched = all.Where(filter.Matches).Select(FromHost).ToList();
                if (matched.Count == 0)
                    throw new ExecutorInputException($"ssh.exec: the tag filter '{filter.Text}' matches no host in the inventory.");
                found = matched;
            }
            else if (await inventory.FindAsync(item, cancellationToken) is { } host)
            {
                found = [FromHost(host)];
            }
            else
            {
                found = [ParseAddress(item)];
            }

            foreach (var target in found)
            {
                if (seen.Add((target.Address.ToLowerInvariant(), target.Port)))
                    targets.Add(target);
            }
        }

        if (targets.Count == 0)
            throw new ExecutorInputException("ssh.exec: 'hosts' names no host.");
        return targets;
    }

    /// <summary>An address written <c>10.0.0.5</c>, <c>10.0.0.5:2222</c>, <c>[fe80::1]:22</c>,
    /// <c>fe80::1</c> or <c>db1.example.com[:port]</c>. A bare name without a dot is taken for an
    /// inventory name that is missing, not for a DNS name.</summary>
    /// <exception cref="ExecutorInputException">It is none of these.</exception>
    public static SshTarget ParseAddress(string item)
    {
        string address = item;
        int? port = null;
        var bracketed = Bracketed().Match(item);
        if (bracketed.Success)
        {
            address = bracketed.Groups["address"].Value;
            if (bracketed.Groups["port"].Success) port = ParsePort(bracketed.Groups["port"].Value, item);
        }
        else if (item.Count(c => c == ':') == 1)
        {
            var colon = item.IndexOf(':');
            address = item[..colon];
            port = ParsePort(item[(colon + 1)..], item);
        }

        if (IPAddress.TryParse(address, out var ip) && (ip.AddressFamily == AddressFamily.InterNetworkV6 || address.Count(c => c == '.') == 3))
            return new SshTarget(item, address, port, null, null, null) { PortWritten = port is not null };
        if (!bracketed.Success && address.Contains('.') && DnsName().IsMatch(address))
            return new SshTarget(item, address, port, null, null, null) { PortWritten = port is not null };
        throw new ExecutorInputException(
            $"ssh.exec: host '{Shorten(item)}' is not in the inventory and is not an address (an IP address or a fully qualified name, optionally with :port).");
    }

    private static int ParsePort(string text, string item) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port
            : throw new ExecutorInputException($"ssh.exec: host '{Shorten(item)}' has a bad port '{Shorten(text)}' (1-65535).");

    private static SshTarget FromHost(Host host) =>
        new(host.Name, host.Address, host.Port > 0 ? host.Port : null, host.User, host.Credential, host.KnownHosts);

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;

    [GeneratedRegex(@"^\[(?<address>[^\]]+)\](:(?<port>[^:]*))?$")]
    private static partial Regex Bracketed();

    // Labels of letters, digits and inner hyphens: no leading '-' that ssh could read as an option.
    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")]
    private static partial Regex DnsName();
}
