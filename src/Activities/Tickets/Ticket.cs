using System.Text.Json.Nodes;

namespace WeOps.Activities.Tickets;

/// <summary>A ticket as the API and the executors show it.</summary>
public sealed record Ticket(
    string Number,
    string Type,
    string Title,
    string? Description,
    string State,
    string Impact,
    string Urgency,
    string Priority,
    string? Requester,
    string? Assignee,
    string? Group,
    TicketAffected Affected,
    JsonObject Fields,
    string? InstanceId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    TicketSla Sla,
    IReadOnlyList<string> AllowedTransitions,
    TicketProcessFault? ProcessFault = null);

/// <summary>The process instance behind the ticket stopped on a fault at <see cref="ElementId"/>; cleared when an
/// operator's retry gets it going again (or it is cancelled).</summary>
public sealed record TicketProcessFault(string InstanceId, string? ElementId, string? ElementName, string? Message, DateTimeOffset At);

/// <summary>The hosts and services a ticket is about.</summary>
public sealed record TicketAffected(IReadOnlyList<string> Hosts, IReadOnlyList<string> Services)
{
    public static readonly TicketAffected None = new([], []);
}

/// <summary>The two SLA clocks of a ticket, read against the server's clock.</summary>
public sealed record TicketSla(SlaClock Response, SlaClock Resolution)
{
    public bool Breached => Response.Breached || Resolution.Breached;
}

/// <summary>One SLA clock: when it is due, when it stopped (the first response, the resolution), and
/// whether it was missed (stopped after the due time, or still running past it).</summary>
public sealed record SlaClock(TimeSpan Target, DateTimeOffset DueAt, DateTimeOffset? StoppedAt, bool Breached);

/// <summary>A ticket with its timeline, comments and links.</summary>
public sealed record TicketDetail(Ticket Ticket, IReadOnlyList<TicketEntry> Timeline, IReadOnlyList<TicketEntry> Comments, IReadOnlyList<TicketLink> Links);

/// <summary>One line of the timeline: who did what when.</summary>
public sealed record TicketEntry(DateTimeOffset Time, string? Actor, string Kind, string? Text, JsonNode? Detail);

/// <summary>A link as seen from one ticket: the other ticket, the kind, and whether this ticket is the
/// link's source (<c>out</c>) or its target (<c>in</c>).</summary>
public sealed record TicketLink(string Number, string Type, string Kind, string Direction);

/// <summary>What a new ticket holds, checked by <see cref="TicketInput"/>.</summary>
public sealed record NewTicket(
    TicketStateMachine Machine,
    string Title,
    string? Description,
    int Impact,
    int Urgency,
    string? Requester,
    string? Assignee,
    string? Group,
    TicketAffected Affected,
    JsonObject Fields);

/// <summary>Changes to a ticket; null leaves a field as it is. <see cref="Fields"/> is merged (a null
/// value removes a field). <see cref="ClearAssignee"/> takes the ticket off its assignee (it waits in its
/// group's queue); it cannot go with an <see cref="Assignee"/>.</summary>
public sealed record TicketChanges(
    string? Title = null,
    string? Description = null,
    int? Impact = null,
    int? Urgency = null,
    string? Assignee = null,
    string? Group = null,
    TicketAffected? Affected = null,
    JsonObject? Fields = null,
    bool ClearAssignee = false);

/// <summary>A list query; null filters match everything.</summary>
public sealed record TicketQuery(
    string? Type = null,
    string? State = null,
    int? Priority = null,
    string? Assignee = null,
    bool? Breached = null,
    string? Search = null,
    int Offset = 0,
    int Limit = 50);

public sealed record TicketPage(IReadOnlyList<Ticket> Items, int Total, int Offset, int Limit);

/// <summary>A field of a ticket request is missing or wrong; each problem names its field.</summary>
public sealed class TicketInputException(IReadOnlyList<(string Field, string Message)> problems)
    : Exception(string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}")))
{
    public IReadOnlyList<(string Field, string Message)> Problems { get; } = problems;

    public TicketInputException(string field, string message) : this([(field, message)])
    {
    }
}

public sealed class TicketNotFoundException(string number) : Exception($"There is no ticket {number}.")
{
    public string Number { get; } = number;
}

/// <summary>The ticket's state machine does not allow the move, or the ticket lacks what the move needs
/// (<see cref="TicketStateMachine.Guard"/>); <see cref="Refusal"/> says which with a code.</summary>
public sealed class TicketTransitionRefusedException(TicketStateMachine machine, string from, string to, TicketRefusal refusal)
    : Exception(refusal.Message)
{
    public TicketTransitionRefusedException(TicketStateMachine machine, string from, string to)
        : this(machine, from, to, new TicketRefusal(TicketRefusal.NotAllowed, machine.Refusal(from, to),
            new Dictionary<string, string> { ["from"] = from, ["to"] = to, ["allowed"] = string.Join(", ", machine.AllowedFrom(from)) }))
    {
    }

    public string From { get; } = from;
    public string To { get; } = to;
    public TicketRefusal Refusal { get; } = refusal;
    public IReadOnlyList<string> Allowed { get; } = machine.AllowedFrom(from);
}
