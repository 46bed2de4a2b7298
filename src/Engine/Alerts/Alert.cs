using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace WeOps.Engine.Alerts;

public enum AlertStatus { Firing, Resolved }

/// <summary>An alert from any source, normalised: what the intake matches, logs and hands to the
/// process as the <c>alert</c> variable.</summary>
public sealed record Alert
{
    public required string Source { get; init; }
    public required string Fingerprint { get; init; }
    public AlertStatus Status { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
    public string? GeneratorUrl { get; init; }

    public string StatusName => Status == AlertStatus.Firing ? "firing" : "resolved";

    /// <summary>The <c>alert</c> variable: <c>${alert.labels.instance}</c>, <c>${alert.fingerprint}</c>.</summary>
    public JsonObject ToVariable()
    {
        var variable = new JsonObject
        {
            ["source"] = Source,
            ["fingerprint"] = Fingerprint,
            ["status"] = StatusName,
            ["labels"] = Map(Labels),
            ["annotations"] = Map(Annotations),
            ["startsAt"] = StartsAt.ToString("O"),
        };
        if (EndsAt is { } ends) variable["endsAt"] = ends.ToString("O");
        if (GeneratorUrl is not null) variable["generatorURL"] = GeneratorUrl;
        return variable;
    }

    public static JsonObject Map(IReadOnlyDictionary<string, string> pairs)
    {
        var json = new JsonObject();
        foreach (var (name, value) in pairs) json[name] = value;
        return json;
    }

    /// <summary>A fingerprint for sources that send none: the SHA-256 of the labels sorted by name, so the
    /// same label set gives the same fingerprint on every node and after every restart.</summary>
    public static string FingerprintOf(IReadOnlyDictionary<string, string> labels)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            text.Append(name).Append('\0').Append(value).Append('\0');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }
}

/// <summary>What one intake call did: 202 <c>{accepted, started, deduplicated, suppressed}</c>.</summary>
public sealed record IntakeResult(int Accepted, IReadOnlyList<Guid> Started, int Deduplicated, int Suppressed);
