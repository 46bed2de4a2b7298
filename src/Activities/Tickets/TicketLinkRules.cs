namespace WeOps.Activities.Tickets;

/// <summary>Which tickets may be linked and how: one row per pair of types, in the direction the link
/// is stored. A link asked for the other way round (problem -> incident) is turned around.</summary>
public static class TicketLinkRules
{
    public sealed record Rule(string FromType, string ToType, IReadOnlyList<string> Kinds);

    public static readonly IReadOnlyList<Rule> All =
    [
        new("incident", "problem", ["causedBy"]),
        new("incident", "change", ["fixedBy", "causedBy"]),
        new("problem", "change", ["fixedBy"]),
        new("change", "release", ["partOf"]),
    ];

    /// <summary>The stored direction and kind of a link between <paramref name="a"/> and <paramref name="b"/>;
    /// a <see cref="TicketInputException"/> naming the allowed pairs and kinds when there is none.</summary>
    public static (bool Reversed, string Kind) Resolve(string a, string b, string? kind)
    {
        var reversed = false;
        var rule = All.FirstOrDefault(r => r.FromType == a && r.ToType == b);
        if (rule is null && All.FirstOrDefault(r => r.FromType == b && r.ToType == a) is { } back)
        {
            rule = back;
            reversed = true;
        }

        if (rule is null)
            throw new TicketInputException("to", $"a {a} cannot be linked to a {b}; links: {Describe()}.");
        if (string.IsNullOrWhiteSpace(kind)) return (reversed, rule.Kinds[0]);
        var known = rule.Kinds.FirstOrDefault(k => string.Equals(k, kind.Trim(), StringComparison.Ordinal));
        return known is null
            ? throw new TicketInputException("kind", $"a link from a {rule.FromType} to a {rule.ToType} is one of: {string.Join(", ", rule.Kinds)}.")
            : (reversed, known);
    }

    private static string Describe() => string.Join("; ", All.Select(r => $"{r.FromType} -> {r.ToType} ({string.Join(", ", r.Kinds)})"));
}
