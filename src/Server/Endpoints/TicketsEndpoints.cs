using System.Security.Claims;
using System.Text.Json.Nodes;
using WeOps.Activities.Tickets;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>ITIL tickets: list, open, look at (timeline, links, comments, SLA clocks, the process behind
/// it), comment on and move through their state machines.</summary>
public static class TicketsEndpoints
{
    public const int MaxPageSize = 200;

    public sealed record CreateTicketRequest(
        string? Type,
        string? Title,
        string? Description,
        JsonNode? Impact,
        JsonNode? Urgency,
        string? Requester,
        string? Assignee,
        string? Group,
        JsonNode? Affected,
        JsonNode? Fields);

    public sealed record CommentRequest(string? Text);

    public sealed record TransitionRequest(string? To, string? Note);

    /// <summary>A ticket with its timeline, and where to find the process instance behind it.</summary>
    public sealed record TicketView(
        Ticket Ticket,
        IReadOnlyList<TicketEntry> Timeline,
        IReadOnlyList<TicketEntry> Comments,
        IReadOnlyList<TicketLink> Links,
        string? Instance);

    public static void Map(IEndpointRouteBuilder app)
    {
        var tickets = app.MapGroup("/api/tickets").WithTags("Tickets");

        tickets.MapGet("", async Task<IResult> (string? type, string? state, string? priority, string? assignee, bool? breached, int? offset, int? limit,
            TicketStore store, CancellationToken cancellationToken) =>
        {
            var errors = new Dictionary<string, string[]>();
            var machine = type is null ? null : TicketStateMachines.ForType(type);
            if (type is not null && machine is null)
                errors["type"] = [$"One of {string.Join(", ", TicketStateMachines.Types)}."];
            if (state is not null && !(machine is null ? TicketStateMachines.All.Any(m => m.HasState(state)) : machine.HasState(state)))
                errors["state"] = [$"A state of {(machine is null ? "a ticket type" : $"a {machine.Type}: {string.Join(", ", machine.States)}")}."];
            var level = priority is null ? null : TicketPolicy.ParsePriority(priority);
            if (priority is not null && level is null) errors["priority"] = ["P1 to P5."];
            if (offset is < 0) errors["offset"] = ["0 or more."];
            if (limit is < 1 or > MaxPageSize) errors["limit"] = [$"1 to {MaxPageSize}."];
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The ticket query is not valid");
            return TypedResults.Ok(await store.ListAsync(
                new TicketQuery(machine?.Type, state, level, string.IsNullOrWhiteSpace(assignee) ? null : assignee, breached, offset ?? 0, limit ?? 50),
                cancellationToken));
        }).RequirePermission(Permissions.TicketsRead);

        tickets.MapPost("", async Task<IResult> (CreateTicketRequest request, TicketStore store, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            NewTicket ticket;
            try
            {
                ticket = TicketInput.ReadNew(request.Type, request.Title, request.Description, request.Impact, request.Urgency,
                    request.Requester ?? user.Identity?.Name, request.Assignee, request.Group, request.Affected, request.Fields);
            }
            catch (TicketInputException e)
            {
                return Invalid(e, "The ticket is not valid");
            }

            var (created, _) = await store.CreateAsync(ticket, user.Identity?.Name, null, null, cancellationToken);
            return TypedResults.Created($"/api/tickets/{created.Ticket.Number}", View(created));
        }).RequirePermission(Permissions.TicketsWrite);

        tickets.MapGet("/{number}", async Task<IResult> (string number, TicketStore store, CancellationToken cancellationToken) =>
            await store.GetAsync(number, cancellationToken) is { } ticket ? TypedResults.Ok(View(ticket)) : NotFound(number))
            .RequirePermission(Permissions.TicketsRead);

        tickets.MapPost("/{number}/comments", async Task<IResult> (string number, CommentRequest request, TicketStore store, ClaimsPrincipal user,
            CancellationToken cancellationToken) =>
        {
            try
            {
                var text = TicketInput.Comment(request.Text);
                var ticket = await store.CommentAsync(number, text, user.Identity?.Name, cancellationToken);
                return TypedResults.Created($"/api/tickets/{number}", View(ticket));
            }
            catch (TicketInputException e)
            {
                return Invalid(e, "The comment is not valid");
            }
            catch (TicketNotFoundException)
            {
                return NotFound(number);
            }
        }).RequirePermission(Permissions.TicketsWrite);

        tickets.MapPost("/{number}/transition", async Task<IResult> (string number, TransitionRequest request, TicketStore store, ClaimsPrincipal user,
            CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(request.To) || request.To.Length > 40)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["Required: the state to move to."] }, title: "The transition is not valid");
            try
            {
                var note = TicketInput.Note(request.Note);
                return TypedResults.Ok(View(await store.TransitionAsync(number, request.To.Trim(), note, user.Identity?.Name, cancellationToken)));
            }
            catch (TicketInputException e)
            {
                return Invalid(e, "The transition is not valid");
            }
            catch (TicketNotFoundException)
            {
                return NotFound(number);
            }
            catch (TicketTransitionRefusedException e)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The ticket cannot move there",
                    detail: $"{number}: {CredentialsEndpoints.Printable(e.Message)}",
                    extensions: new Dictionary<string, object?> { ["from"] = e.From, ["allowed"] = e.Allowed });
            }
        }).RequirePermission(Permissions.TicketsWrite);
    }

    private static TicketView View(TicketDetail detail) =>
        new(detail.Ticket, detail.Timeline, detail.Comments, detail.Links,
            detail.Ticket.InstanceId is { } id ? $"/api/instances/{id}" : null);

    private static IResult Invalid(TicketInputException e, string title) =>
        TypedResults.ValidationProblem(e.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()), title: title);

    private static IResult NotFound(string number) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such ticket",
            detail: TicketInput.IsNumber(number)
                ? $"There is no ticket {number}."
                : $"'{CredentialsEndpoints.Printable(number)}' is not a ticket number: INC-, CHG-, PRB- or REL- and six digits, e.g. INC-000123.");
}
