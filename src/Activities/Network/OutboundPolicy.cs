using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace WeOps.Activities.Network;

/// <summary>A destination the outbound policy does not let an executor reach. The message names the
/// address, why it is refused and the setting that changes it.</summary>
public sealed class OutboundRefusedException(string message) : Exception(message)
{
    /// <summary>The refusal behind <paramref name="error"/> (an HttpClient wraps what its connect callback
    /// throws), or null when there is none.</summary>
    public static OutboundRefusedException? Within(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is OutboundRefusedException refused) return refused;
        }

        return null;
    }
}

/// <summary>Where executors may connect. By default loopback, link-local (the cloud metadata address
/// 169.254.169.254 among them), unspecified addresses, the other known cloud metadata addresses and the
/// server's own addresses are refused; <c>Outbound:Allow</c> lets some through and <c>Outbound:Deny</c>
/// refuses more, winning over Allow. Names are judged by the addresses they resolve to, and a connection
/// goes only to an address that was judged, so a name that changes its answer between the check and the
/// connection (DNS rebinding) reaches nothing it should not.</summary>
public sealed class OutboundPolicy
{
    private static readonly TimeSpan OwnAddressesLifetime = TimeSpan.FromMinutes(1);
    private static readonly IPAddress MetadataAddress = IPAddress.Parse("169.254.169.254");

    private static readonly (IPNetwork Range, string What)[] Refused =
    [
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("::1/128"), "the loopback address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address"),
        (IPNetwork.Parse("::/128"), "the unspecified address"),
        // Metadata services outside the link-local range: Alibaba Cloud's, and AWS's over IPv6.
        (IPNetwork.Parse("100.100.100.200/32"), "a cloud metadata address"),
        (IPNetwork.Parse("fd00:ec2::254/128"), "a cloud metadata address"),
    ];

    private readonly List<OutboundRule> allow;
    private readonly List<OutboundRule> deny;
    private readonly Func<IReadOnlyCollection<IPAddress>> ownAddresses;
    private volatile OwnAddressList? ownCache;

    /// <exception cref="InvalidOperationException">An item of Outbound:Allow or Outbound:Deny is not an
    /// address, a range or a host name.</exception>
    public OutboundPolicy(OutboundOptions options, Func<IReadOnlyCollection<IPAddress>>? ownAddresses = null)
    {
        allow = [.. options.Allow.Select(item => OutboundRule.Parse(item, "Outbound:Allow"))];
        deny = [.. options.Deny.Select(item => OutboundRule.Parse(item, "Outbound:Deny"))];
        this.ownAddresses = ownAddresses ?? InterfaceAddresses;
    }

    /// <summary>Why <paramref name="address"/>, reached as <paramref name="host"/>, is refused; null when it
    /// may be reached.</summary>
    public string? Refusal(string host, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        host = OutboundRule.NormalHost(host);
        var shown = host == address.ToString() ? address.ToString() : $"{address} (the address of '{host}')";
        if (deny.Find(r => r.Matches(host, address)) is { } denied)
            return $"The outbound policy refuses {shown}: it matches '{denied.Text}' in Outbound:Deny.";
        if (allow.Exists(r => r.Matches(host, address)))
            return null;
        var what = address.Equals(MetadataAddress) ? "the cloud metadata address, link-local"
            : Array.Find(Refused, r => r.Range.Contains(address)).What
            ?? (OwnAddresses().Contains(address) ? "an address of this server" : null);
        return what is null
            ? null
            : $"The outbound policy refuses {shown}: {what}. To reach it, add '{address}' (or a range or host name that holds it) to Outbound:Allow.";
    }

    /// <summary>The addresses <paramref name="host"/> (a name or an address literal) stands for, every one
    /// of them allowed.</summary>
    /// <exception cref="OutboundRefusedException">One of them is refused: a name that resolves to a refused
    /// address among allowed ones is refused as a whole.</exception>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var name = OutboundRule.NormalHost(host);
        var addresses = IPAddress.TryParse(name, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(name, cancellationToken).ConfigureAwait(false);
        foreach (var address in addresses)
        {
            if (Refusal(name, address) is { } refusal) throw new OutboundRefusedException(refusal);
        }

        return addresses;
    }

    /// <summary>A TCP connection to <paramref name="host"/>:<paramref name="port"/>, made to an address the
    /// policy judged (the first of them that answers).</summary>
    public async Task<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        SocketException? last = null;
        foreach (var judged in addresses)
        {
            var address = judged.IsIPv4MappedToIPv6 ? judged.MapToIPv4() : judged;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>For <see cref="SocketsHttpHandler.ConnectCallback"/>: every new connection of an HttpClient,
    /// the first and each one a redirect opens, goes through the policy.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = await ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
        return new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>For <see cref="SocketsHttpHandler.UseProxy"/> beside <see cref="ConnectAsync(SocketsHttpConnectionContext, CancellationToken)"/>:
    /// no proxy from the environment, since a proxy connects where the policy cannot see, and one
    /// connection to it carries requests to any host.</summary>
    public const bool UseProxy = false;

    private IReadOnlyCollection<IPAddress> OwnAddresses()
    {
        var now = Environment.TickCount64;
        if (ownCache is { } cached && now - cached.At < OwnAddressesLifetime.TotalMilliseconds) return cached.Addresses;
        var addresses = ownAddresses();
        ownCache = new OwnAddressList(addresses, now);
        return addresses;
    }

    private sealed record OwnAddressList(IReadOnlyCollection<IPAddress> Addresses, long At);

    private static HashSet<IPAddress> InterfaceAddresses()
    {
        try
        {
            return [.. NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(u => u.Address.IsIPv4MappedToIPv6 ? u.Address.MapToIPv4() : u.Address)];
        }
        catch (NetworkInformationException)
        {
            // Without the list the loopback and link-local ranges still stand.
            return [];
        }
    }
}

/// <summary>One item of <c>Outbound:Allow</c> or <c>Outbound:Deny</c>.</summary>
internal sealed class OutboundRule
{
    private readonly IPNetwork? range;
    private readonly string? host;
    private readonly bool subdomains;

    private OutboundRule(string text, IPNetwork? range, string? host, bool subdomains)
    {
        Text = text;
        this.range = range;
        this.host = host;
        this.subdomains = subdomains;
    }

    /// <summary>The item as configured, for messages.</summary>
    public string Text { get; }

    public bool Matches(string hostName, IPAddress address) =>
        range is { } r ? r.Contains(address)
        : subdomains ? hostName.EndsWith("." + host, StringComparison.Ordinal)
        : hostName == host;

    /// <exception cref="InvalidOperationException">The item is none of the forms.</exception>
    public static OutboundRule Parse(string? item, string setting)
    {
        var text = item?.Trim() ?? "";
        if (text.Contains('/', StringComparison.Ordinal))
        {
            // TryParse accepts 10.0.0.1/8 as 10.0.0.0/8; an item written so is more likely a mistake.
            if (IPNetwork.TryParse(text, out var range) && range.BaseAddress.Equals(IPAddress.Parse(text[..text.IndexOf('/', StringComparison.Ordinal)])))
                return new OutboundRule(text, range, null, false);
            throw new InvalidOperationException(
                $"{setting}: '{text}' is not a CIDR range such as 10.0.0.0/8 or fd00::/8 (the bits after the prefix must be zero).");
        }

        // Only dotted-quad and IPv6 forms count as addresses here; "10" or "2130706433" in a list is more
        // likely a mistake than an address.
        var unbracketed = NormalHost(text);
        if ((unbracketed.Count(c => c == '.') == 3 || unbracketed.Contains(':', StringComparison.Ordinal))
            && IPAddress.TryParse(unbracketed, out var address))
        {
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            return new OutboundRule(text, new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128), null, false);
        }

        var wildcard = unbracketed.StartsWith("*.", StringComparison.Ordinal);
        var name = wildcard ? unbracketed[2..] : unbracketed;
        if (name.Length is > 0 and <= 253 && name.Split('.').All(IsLabel) && !name.Split('.').Last().All(char.IsAsciiDigit))
            return new OutboundRule(text, null, name, wildcard);
        throw new InvalidOperationException(
            $"{setting}: '{text}' is not an address (10.0.0.5, ::1), a CIDR range (10.0.0.0/8) or a host name (api.example.com, *.example.com).");
    }

    /// <summary>A host as names are compared: lower case, without brackets or a trailing dot.</summary>
    public static string NormalHost(string host)
    {
        var text = host.Trim();
        if (text.Length > 1 && text[0] == '[' && text[^1] == ']') text = text[1..^1];
        return text.TrimEnd('.').ToLowerInvariant();
    }

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
