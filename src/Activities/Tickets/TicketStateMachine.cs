using System.Collections.Frozen;

namespace WeOps.Activities.Tickets;

/// <summary>The states a ticket type goes through and which moves are allowed. The four machines are
/// data in <see cref="TicketStateMachines"/>, the one place that says how tickets move.</summary>
public sealed class TicketStateMachine
{
    private readonly FrozenDictionary<string, string[]> next;

    public TicketStateMachine(string type, string prefix, string initial, IReadOnlyList<string> resolvedStates,
        IReadOnlyList<(string From, string To)> transitions)
    {
        Type = type;
        Prefix = prefix;
        Initial = initial;
        ResolvedStates = resolvedStates;
        Transitions = transitions;
        next = transitions.GroupBy(t => t.From, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(t => t.To).ToArray(), StringComparer.Ordinal);
        States = [.. transitions.SelectMany(t => new[] { t.From, t.To }).Prepend(initial).Distinct(StringComparer.Ordinal)];
    }

    /// <summary><c>incident</c>, <c>change</c>, <c>problem</c> or <c>release</c>.</summary>
    public string Type { get; }

    /// <summary>What numbers of this type begin with: <c>INC</c>, <c>CHG</c>, <c>PRB</c>, <c>REL</c>.</summary>
    public string Prefix { get; }
    public string Initial { get; }

    /// <summary>States in which the resolution clock has stopped; leaving them (a reopen) starts it again.</summary>
    public IReadOnlyList<string> ResolvedStates { get; }
    public IReadOnlyList<(string From, string To)> Transitions { get; }
    public IReadOnlyList<string> States { get; }

    public bool HasState(string state) => States.Contains(state, StringComparer.Ordinal);

    public IReadOnlyList<string> AllowedFrom(string state) => next.TryGetValue(state, out var to) ? to : [];

    public bool Allows(string from, string to) => AllowedFrom(from).Contains(to, StringComparer.Ordinal);

    public bool IsResolved(string state) => ResolvedStates.Contains(state, StringComparer.Ordinal);

    /// <summary>What a move the machine allows still needs from the ticket: <c>assigned</c> needs someone to own
    /// it (an assignee, or a group whose queue it sits in); a resolved state reached from work needs the
    /// resolution notes. Null when the move may go ahead.</summary>
    public TicketRefusal? Guard(string from, string to, string? assignee, string? group, string? note)
    {
        if (to == "assigned" && string.IsNullOrWhiteSpace(assignee) && string.IsNullOrWhiteSpace(group))
            return new TicketRefusal(TicketRefusal.AssigneeRequired, $"A {Type} goes to 'assigned' only with an assignee (or an assignment group); pick one first.",
                new Dictionary<string, string> { ["from"] = from, ["to"] = to });
        if (to == "resolved" && string.IsNullOrWhiteSpace(note))
            return new TicketRefusal(TicketRefusal.ResolutionRequired, $"A {Type} goes to 'resolved' only with resolution notes: say what fixed it.",
                new Dictionary<string, string> { ["from"] = from, ["to"] = to });
        return null;
    }

    /// <summary>Why a move is refused, naming both states and where the ticket may go instead.</summary>
    public string Refusal(string from, string to)
    {
        var allowed = AllowedFrom(from);
        var where = allowed.Count == 0 ? "nowhere: it is final" : string.Join(", ", allowed);
        return HasState(to)
            ? $"A {Type} cannot go from '{from}' to '{to}'; from '{from}' it can go to: {where}."
            : $"'{to}' is not a state of a {Type} (states: {string.Join(", ", States)}); from '{from}' it can go to: {where}.";
    }
}

/// <summary>Why a ticket may not move: a stable <see cref="Code"/> a client translates, the values its message
/// names, and the message in English.</summary>
public sealed record TicketRefusal(string Code, string Message, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The state machine has no such move.</summary>
    public const string NotAllowed = "ticket.transitionNotAllowed";

    /// <summary><c>assigned</c> without an assignee or group.</summary>
    public const string AssigneeRequired = "ticket.assigneeRequired";

    /// <summary><c>resolved</c> without resolution notes.</summary>
    public const string ResolutionRequired = "ticket.resolutionRequired";
}

/// <summary>The ITIL state machines of incidents, changes, problems and releases.</summary>
public static class TicketStateMachines
{
    public static readonly TicketStateMachine Incident = new("incident", "INC", "new", ["resolved", "closed"],
    [
        ("new", "assigned"),
        ("assigned", "inProgress"),
        ("inProgress", "onHold"),
        ("onHold", "inProgress"),
        ("inProgress", "resolved"),
        ("resolved", "closed"),
        ("resolved", "inProgress"), // reopen: the fix did not hold
    ]);

    public static readonly TicketStateMachine Change = new("change", "CHG", "new", ["closed"],
    [
        ("new", "assess"),
        ("new", "authorize"), // emergency change: the emergency CAB assesses and authorises at once
        ("new", "scheduled"), // standard change: pre-authorised, so neither assessed nor authorised each time
        ("assess", "authorize"),
        ("assess", "rejected"),
        ("authorize", "scheduled"),
        ("authorize", "rejected"),
        ("rejected", "new"), // reworked and proposed again
        ("scheduled", "implement"),
        ("implement", "review"),
        ("implement", "backout"), // implementation failed: the backout plan runs
        ("backout", "review"),
        ("review", "closed"),
    ]);

    public static readonly TicketStateMachine Problem = new("problem", "PRB", "new", ["resolved", "closed"],
    [
        ("new", "investigation"),
        ("investigation", "knownError"),
        ("knownError", "resolved"),
        ("resolved", "closed"),
    ]);

    public static readonly TicketStateMachine Release = new("release", "REL", "plan", ["closed"],
    [
        ("plan", "build"),
        ("build", "test"),
        ("test", "build"), // tests failed: back to the build
        ("test", "deploy"),
        ("deploy", "review"),
        ("deploy", "rollback"), // health check failed after the rollout
        ("rollback", "review"),
        ("review", "closed"),
    ]);

    public static readonly IReadOnlyList<TicketStateMachine> All = [Incident, Change, Problem, Release];

    public static IReadOnlyList<string> Types { get; } = [.. All.Select(m => m.Type)];

    public static TicketStateMachine? ForType(string? type) => All.FirstOrDefault(m => string.Equals(m.Type, type, StringComparison.Ordinal));

    public static TicketStateMachine? ForPrefix(string prefix) => All.FirstOrDefault(m => string.Equals(m.Prefix, prefix, StringComparison.Ordinal));
}
