using System.Security.Claims;
using System.Text.Json.Nodes;
using WeOps.Activities.Tickets;
using WeOps.Engine.Approvals;
using WeOps.Engine.Persistence;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>ITIL tickets: list, open, look at (timeline, links, comments, SLA clocks, the process behind
/// it), edit, link, comment on, move through their state machines, and retry the process behind one that
/// stopped on a fault.</summary>
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

    /// <summary>Fields to change; a field left out (null) stays as it is.</summary>
    public sealed record UpdateTicketRequest(
        string? Title,
        string? Description,
        JsonNode? Impact,
        JsonNode? Urgency,
        string? Assignee,
        string? Group,
        JsonNode? Affected,
        JsonNode? Fields);

    public sealed record LinkRequest(string? To, string? Kind);

    /// <summary>Who a ticket can be assigned to: the directory's users and the groups they are in.</summary>
    public sealed record TicketDirectory(IReadOnlyList<TicketPerson> Users, IReadOnlyList<string> Groups);

    public sealed record TicketPerson(string Username, string? DisplayName);

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

        tickets.MapGet("", async Task<IResult> (string? type, string? state, string? priority, string? assignee, bool? breached, string? q, int? offset, int? limit,
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
            if (q is { Length: > TicketInput.MaxTitle } || (q is not null && q.Any(char.IsControl))) errors["q"] = [$"Text on one line, at most {TicketInput.MaxTitle} characters."];
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The ticket query is not valid");
            return TypedResults.Ok(await store.ListAsync(
                new TicketQuery(machine?.Type, state, level, string.IsNullOrWhiteSpace(assignee) ? null : assignee, breached,
                    string.IsNullOrWhiteSpace(q) ? null : q.Trim(), offset ?? 0, limit ?? 50),
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

        tickets.MapGet("/directory", async Task<IResult> (UserDirectory users, CancellationToken cancellationToken) =>
        {
            var all = await users.ListAsync(cancellationToken);
            return TypedResults.Ok(new TicketDirectory(
                [.. all.Select(u => new TicketPerson(u.Username, u.DisplayName))],
                [.. all.SelectMany(u => u.Groups).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]));
        }).RequirePermission(Permissions.TicketsRead);

        tickets.MapGet("/link-rules", () => TypedResults.Ok(TicketLinkRules.All)).RequirePermission(Permissions.TicketsRead);

        tickets.MapGet("/{number}", async Task<IResult> (string number, TicketStore store, CancellationToken cancellationToken) =>
            await store.GetAsync(number, cancellationToken) is { } ticket ? TypedResults.Ok(View(ticket)) : NotFound(number))
            .RequirePermission(Permissions.TicketsRead);

        tickets.MapPatch("/{number}", async Task<IResult> (string number, UpdateTicketRequest request, TicketStore store, ClaimsPrincipal user,
            CancellationToken cancellationToken) =>
        {
            try
            {
                var changes = TicketInput.ReadChanges(request.Title, request.Description, request.Impact, request.Urgency,
                    request.Assignee, request.Group, request.Affected, request.Fields);
                return TypedResults.Ok(View(await store.UpdateAsync(number, changes, user.Identity?.Name, cancellationToken)));
            }
            catch (TicketInputException e)
            {
                return Invalid(e, "The change is not valid");
            }
            catch (TicketNotFoundException)
            {
                return NotFound(number);
            }
        }).RequirePermission(Permissions.TicketsWrite);

        tickets.MapPost("/{number}/links", async Task<IResult> (string number, LinkRequest request, TicketStore store, ClaimsPrincipal user,
            CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(request.To) || !TicketInput.IsNumber(request.To.Trim()))
                return Invalid(new TicketInputException("to", "a ticket number, e.g. INC-000123."), "The link is not valid");
            if (request.Kind is { Length: > 40 })
                return Invalid(new TicketInputException("kind", "a link kind, e.g. causedBy."), "The link is not valid");
            try
            {
                return TypedResults.Ok(View(await store.LinkAsync(number, request.To.Trim(), request.Kind, user.Identity?.Name, cancellationToken)));
            }
            catch (TicketInputException e)
            {
                return Invalid(e, "The link is not valid");
            }
            catch (TicketNotFoundException)
            {
                return NotFound(number);
            }
        }).RequirePermission(Permissions.TicketsWrite);

        tickets.MapDelete("/{number}/links/{other}", async Task<IResult> (string number, string other, TicketStore store, ClaimsPrincipal user,
            CancellationToken cancellationToken) =>
        {
            if (!TicketInput.IsNumber(other)) return NotFound(other);
            try
            {
                return TypedResults.Ok(View(await store.UnlinkAsync(number, other, user.Identity?.Name, cancellationToken)));
            }
            catch (TicketNotFoundException)
            {
                return NotFound(number);
            }
        }).RequirePermission(Permissions.TicketsWrite);

        // Retrying is operating an instance: the permission is the instance's, not the ticket's.
        tickets.MapPost("/{number}/retry", async Task<IResult> (string number, TicketStore store, InstanceCommands commands, ClaimsPrincipal user,
            CancellationToken cancellationToken) =>
        {
            var ticket = await store.GetAsync(number, cancellationToken);
            if (ticket is null) return NotFound(number);
            if (ticket.Ticket.ProcessFault is not { } fault || !Guid.TryParse(fault.InstanceId, out var id))
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to retry",
                    detail: $"The process behind {number} is not stopped on a fault.", extensions: new Dictionary<string, object?> { ["code"] = "ticket.noProcessFault" });
            var outcome = await commands.RetryAsync(id, user.Identity?.Name, cancellationToken);
            if (outcome.Status != StepStatus.Applied)
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The retry did not apply",
                    detail: $"{number}: {outcome.Reason ?? outcome.Status.ToString()}", extensions: new Dictionary<string, object?> { ["code"] = "ticket.retryNotApplied" });
            return TypedResults.Ok(View((await store.GetAsync(number, cancellationToken))!));
        }).RequirePermission(Permissions.InstancesOperate);

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
                // A move the machine has no arrow for conflicts with the state (409); one that lacks an assignee or
                // resolution notes is a request to complete (422). The code and parameters let a client translate.
                var missing = e.Refusal.Code != TicketRefusal.NotAllowed;
                return TypedResults.Problem(statusCode: missing ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status409Conflict,
                    title: "The ticket cannot move there",
                    detail: $"{number}: {CredentialsEndpoints.Printable(e.Message)}",
                    extensions: new Dictionary<string, object?>
                    {
                        ["code"] = e.Refusal.Code,
                        ["parameters"] = e.Refusal.Parameters,
                        ["from"] = e.From,
                        ["allowed"] = e.Allowed,
                    });
            }
        }).RequirePermission(Permissions.TicketsWrite);
    }

    private static TicketView View(TicketDetail detail) =>
        new(detail.Ticket, detail.Timeline, detail.Comments, detail.Links,
            detail.Ticket.InstanceId is { } id ? $"/api/instances/{id}" : null);

    /// <summary>A form's problems: 422 with each field's messages.</summary>
    private static IResult Invalid(TicketInputException e, string title) =>
        TypedResults.Problem(new HttpValidationProblemDetails(e.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = title,
        });

    private static IResult NotFound(string number) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such ticket",
            detail: TicketInput.IsNumber(number)
                ? $"There is no ticket {number}."
                : $"'{CredentialsEndpoints.Printable(number)}' is not a ticket number: INC-, CHG-, PRB- or REL- and six digits, e.g. INC-000123.");
}
