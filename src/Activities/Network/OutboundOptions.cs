using Microsoft.Extensions.Configuration;

namespace WeOps.Activities.Network;

/// <summary>Configuration section <c>Outbound</c>: exceptions to the outbound destination policy. Each
/// item is an address (<c>10.0.0.5</c>, <c>::1</c>), a CIDR range (<c>127.0.0.0/8</c>), a host name
/// (<c>api.example.com</c>) or a wildcard for the names under a domain (<c>*.corp.example.com</c>).</summary>
public sealed record OutboundOptions
{
    /// <summary>Destinations let through although the defaults refuse them (loopback, link-local,
    /// unspecified, cloud metadata, the server's own addresses).</summary>
    public List<string> Allow { get; init; } = [];

    /// <summary>Destinations refused whatever else is said; wins over <see cref="Allow"/>.</summary>
    public List<string> Deny { get; init; } = [];

    /// <summary>The lists in <paramref name="section"/>, each written as an array (<c>Outbound:Allow:0</c>,
    /// <c>Outbound__Allow__0</c>) or as one comma-separated value (<c>Outbound:Allow=127.0.0.0/8,::1</c>).</summary>
    public static OutboundOptions From(IConfigurationSection section) => new()
    {
        Allow = Items(section.GetSection(nameof(Allow))),
        Deny = Items(section.GetSection(nameof(Deny))),
    };

    private static List<string> Items(IConfigurationSection list) =>
        [.. (list.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(list.GetChildren().Select(c => c.Value ?? ""))];
}
