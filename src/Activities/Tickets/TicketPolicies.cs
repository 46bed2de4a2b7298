using System.Globalization;
using System.Text.Json.Nodes;

namespace WeOps.Activities.Tickets;

/// <summary>The <c>Tickets</c> configuration section.</summary>
public sealed class TicketOptions
{
    /// <summary>Rows by impact (high, medium, low), columns by urgency (high, medium, low), values 1-5
    /// (P1-P5). Null: the common ITIL matrix.</summary>
    public List<List<int>>? PriorityMatrix { get; set; }

    /// <summary>Response and resolution targets by priority name (<c>P1</c>..<c>P5</c>); a priority not
    /// named keeps its default.</summary>
    public Dictionary<string, SlaTarget>? Sla { get; set; }
}

/// <summary>How long a ticket of one priority may wait for a first response and for its resolution.</summary>
public sealed class SlaTarget
{
    public TimeSpan Response { get; set; }
    public TimeSpan Resolution { get; set; }
}

/// <summary>Impact x urgency -> priority, and the SLA targets of each priority.</summary>
public sealed class TicketPolicy
{
    public static readonly int[][] DefaultMatrix = [[1, 2, 3], [2, 3, 4], [3, 4, 5]];

    public static readonly IReadOnlyDictionary<int, (TimeSpan Response, TimeSpan Resolution)> DefaultSla = new Dictionary<int, (TimeSpan, TimeSpan)>
    {
        [1] = (TimeSpan.FromMinutes(15), TimeSpan.FromHours(4)),
        [2] = (TimeSpan.FromHours(1), TimeSpan.FromHours(8)),
        [3] = (TimeSpan.FromHours(4), TimeSpan.FromDays(1)),
        [4] = (TimeSpan.FromHours(8), TimeSpan.FromDays(3)),
        [5] = (TimeSpan.FromDays(1), TimeSpan.FromDays(7)),
    };

    private readonly int[][] matrix;
    private readonly Dictionary<int, (TimeSpan Response, TimeSpan Resolution)> sla;

    public TicketPolicy() : this(new TicketOptions())
    {
    }

    /// <summary>Checks the settings once, at startup: a matrix that is not 3x3 of 1-5 or a target that is
    /// not positive stops the server with the key to fix.</summary>
    public TicketPolicy(TicketOptions options)
    {
        if (options.PriorityMatrix is { } rows)
        {
            if (rows.Count != 3 || rows.Any(r => r.Count != 3 || r.Any(p => p is < 1 or > 5)))
                throw new InvalidOperationException(
                    "Tickets:PriorityMatrix must be 3 rows (impact high, medium, low) of 3 priorities (urgency high, medium, low), each 1 to 5, " +
                    "e.g. [[1,2,3],[2,3,4],[3,4,5]].");
            matrix = [.. rows.Select(r => r.ToArray())];
        }
        else
        {
            matrix = DefaultMatrix;
        }

        sla = new Dictionary<int, (TimeSpan, TimeSpan)>(DefaultSla);
        foreach (var (name, target) in options.Sla ?? [])
        {
            if (ParsePriority(name) is not { } priority)
                throw new InvalidOperationException($"Tickets:Sla:{name}: the keys are priorities P1 to P5.");
            if (target.Response <= TimeSpan.Zero || target.Resolution <= TimeSpan.Zero || target.Response > target.Resolution)
                throw new InvalidOperationException(
                    $"Tickets:Sla:{name}: Response and Resolution must be positive durations (e.g. 00:15:00 and 04:00:00), the response no longer than the resolution.");
            sla[priority] = (target.Response, target.Resolution);
        }
    }

    public int Priority(int impact, int urgency) => matrix[impact - 1][urgency - 1];

    public (TimeSpan Response, TimeSpan Resolution) Targets(int priority) => sla[priority];

    public static string PriorityName(int priority) => "P" + priority.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>P1</c>..<c>P5</c> or <c>1</c>..<c>5</c>; null for anything else.</summary>
    public static int? ParsePriority(string? text)
    {
        var digits = text is ['P' or 'p', .. var rest] ? rest : text;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 5 ? p : null;
    }

    /// <summary>An impact or urgency: 1-3 or high/medium/low, as a number or a string; null when not one.</summary>
    public static int? ParseLevel(JsonNode? value)
    {
        if (value is not JsonValue v) return null;
        if (v.TryGetValue<int>(out var n)) return n is >= 1 and <= 3 ? n : null;
        if (v.TryGetValue<double>(out var d)) return d is 1 or 2 or 3 ? (int)d : null;
        if (!v.TryGetValue<string>(out var s)) return null;
        return s.Trim().ToLowerInvariant() switch
        {
            "1" or "high" => 1,
            "2" or "medium" => 2,
            "3" or "low" => 3,
            _ => null,
        };
    }

    public static string LevelName(int level) => level switch { 1 => "high", 2 => "medium", _ => "low" };
}
