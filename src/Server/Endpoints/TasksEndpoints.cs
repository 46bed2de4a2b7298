using System.Security.Claims;
using System.Text.Json.Nodes;
using FluentValidation;
using WeOps.Engine.Approvals;
using WeOps.Engine.Execution;
using WeOps.Engine.Persistence;
using WeOps.Server.Api;
using WeOps.Server.Auth;
using WeOps.Server.Forms;

namespace WeOps.Server.Endpoints;

/// <summary>User tasks: the work people do inside processes.</summary>
public static class TasksEndpoints
{
    public sealed record CompleteRequest(string? Outcome, JsonObject? Variables, string? Comment);

    /// <summary><see cref="Channel"/>: api (default) or designer, recorded with the decision. <see cref="Variables"/>: the
    /// values of the approval's form, if it has one.</summary>
    public sealed record DecisionRequest(string? Decision, string? Comment, string? Channel, JsonObject? Variables = null);

    /// <summary><see cref="From"/>: for an approval, the approver whose place moves (<c>alice</c> or <c>group:cab</c>).</summary>
    public sealed record ReassignRequest(string? To, string? From);

    public sealed record DelegateRequest(string? To);

    public sealed class DecisionRequestValidator : AbstractValidator<DecisionRequest>
    {
        public DecisionRequestValidator()
        {
            RuleFor(r => r.Decision).Must(ApprovalOutcomes.IsDecision).WithMessage("decision is required: approve or reject.");
            RuleFor(r => r.Comment).MaximumLength(2000).WithMessage("comment may have at most 2000 characters.");
            RuleFor(r => r.Channel).Must(c => c is null or ApprovalChannels.Api or ApprovalChannels.Designer).WithMessage("channel is api or designer.");
        }
    }

    public sealed class ReassignRequestValidator : AbstractValidator<ReassignRequest>
    {
        public ReassignRequestValidator()
        {
            RuleFor(r => r.To).Must(BeAUsername).WithMessage("to is required: the username who takes the task (1 to 100 characters, no commas, spaces or colons).");
            RuleFor(r => r.From).Must(f => f is null || f.Length <= 210 && !f.Any(char.IsControl)).WithMessage("from names an approver: a username or group:name.");
        }
    }

    public sealed class DelegateRequestValidator : AbstractValidator<DelegateRequest>
    {
        public DelegateRequestValidator() =>
            RuleFor(r => r.To).Must(BeAUsername).WithMessage("to is required: the username who takes the task (1 to 100 characters, no commas, spaces or colons).");
    }

    private static bool BeAUsername(string? name) =>
        name is { Length: > 0 and <= UsersEndpoints.MaxUsernameLength } && !name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is ',' or ':');

    public sealed record TaskView(long Id, Guid InstanceId, string ElementId, string? Name, string? Assignee, IReadOnlyList<string> CandidateGroups,
        IReadOnlyList<string> CandidateUsers, string State, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, DateTimeOffset? EndedAt, string? EndedBy, JsonNode? Data)
    {
        /// <summary>An open approval's approvers who have not decided (<c>user:alice</c>, <c>group:cab</c>).</summary>
        public IReadOnlyList<string>? PendingApprovers { get; init; }

        public static TaskView From(UserTaskRow row) => new(row.Id, row.InstanceId, row.ElementId, row.Name, row.Assignee, Split(row.CandidateGroups), Split(row.CandidateUsers),
            row.State, Utc(row.CreatedAt), row.DueAt is { } due ? Utc(due) : null, row.EndedAt is { } end ? Utc(end) : null, row.EndedBy, JsonNode.Parse(row.Data))
        {
            PendingApprovers = row.Approvers.Length > 1 ? Split(row.Approvers) : null,
        };


        private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
    }

    public sealed class CompleteRequestValidator : AbstractValidator<CompleteRequest>
    {
        public CompleteRequestValidator()
        {
            RuleFor(r => r.Outcome).MaximumLength(100).WithMessage("outcome may have at most 100 characters.");
            RuleFor(r => r.Comment).MaximumLength(4000).WithMessage("comment may have at most 4000 characters.");
        }
    }

    /// <summary>Why the caller may not complete <paramref name="task"/>, or null when they may: it is theirs (the
    /// assignee, a candidate user, a member of a candidate group), it is offered to nobody, or the caller operates
    /// instances (operators may reassign any task to themselves anyway).</summary>
    private static async Task<string?> NotOffered(UserTaskRow task, ClaimsPrincipal user, UserDirectory users, CancellationToken cancellationToken)
    {
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value);
        if (Permissions.IsGranted(roles, Permissions.InstancesOperate)) return null;
        var candidateUsers = Split(task.CandidateUsers);
        var candidateGroups = Split(task.CandidateGroups);
        if (task.Assignee is null && candidateUsers.Count == 0 && candidateGroups.Count == 0) return null;
        var name = user.Identity?.Name;
        if (name is not null && (task.Assignee == name || candidateUsers.Contains(name, StringComparer.Ordinal))) return null;
        if (name is not null && candidateGroups.Count > 0 && (await users.GroupsOfAsync(name, cancellationToken)).Intersect(candidateGroups, StringComparer.Ordinal).Any()) return null;
        var offered = new List<string>();
        if (task.Assignee is not null) offered.Add($"assigned to {task.Assignee}");
        if (candidateUsers.Count > 0) offered.Add($"offered to {string.Join(", ", candidateUsers)}");
        if (candidateGroups.Count > 0) offered.Add($"offered to the group(s) {string.Join(", ", candidateGroups)}");
        return $"Task {task.Id} is {string.Join(" and ", offered)}; {name ?? "this caller"} is none of them. Ask an operator to reassign it, or its assignee to delegate it.";
    }

    /// <summary>A stored comma list (<c>,a,b,</c>) as its names.</summary>
    private static List<string> Split(string joined) => joined.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();

    public static void Map(IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/api/tasks").WithTags("Tasks");

        tasks.MapGet("", async (string? assignee, Guid? instanceId, string? state, string? candidateGroup, bool? mine, InstanceQueries queries, UserDirectory users,
            ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var filter = new TaskFilter(assignee, instanceId, state ?? UserTaskStates.Open, candidateGroup, 500);
            if (mine == true && user.Identity?.Name is { } name)
                filter = filter with { User = name, Groups = await users.GroupsOfAsync(name, cancellationToken) };
            var rows = await queries.TasksAsync(filter, cancellationToken);
            return TypedResults.Ok(rows.Select(TaskView.From).ToList());
        }).RequirePermission(Permissions.TasksWork);

        tasks.MapPost("/{id:long}/complete", async Task<IResult> (long id, CompleteRequest? request, InstanceCommands commands, InstanceQueries queries, UserDirectory users,
            ProcessForms forms, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            static IResult Closed(UserTaskRow task) =>
                TypedResults.Problem(statusCode: 409, title: "The task is closed", detail: $"Task {task.Id} is {task.State}{(task.EndedBy is null ? "" : $" (by {task.EndedBy})")}.");

            var task = await queries.TaskAsync(id, cancellationToken);
            if (task is null) return TypedResults.Problem(statusCode: 404, title: "No such task", detail: $"There is no task {id}.");
            if (task.State != UserTaskStates.Open) return Closed(task);
            if (await NotOffered(task, user, users, cancellationToken) is { } notYours)
                return TypedResults.Problem(statusCode: 403, title: "Not your task", detail: notYours);
            var variables = (JsonObject?)request?.Variables?.DeepClone() ?? [];
            if (request?.Outcome is { } outcome) variables["outcome"] = outcome;
            if (request?.Comment is { } comment) variables["comment"] = comment;
            if (await forms.ForTaskAsync(task, cancellationToken) is { } form)
            {
                var check = form.Check(variables);
                if (!check.IsValid) return FormsEndpoints.Refused(check);
                variables = check.Variables;
            }

            var result = await commands.CompleteTaskAsync(id, variables, user.Identity?.Name, cancellationToken);
            // Null: it closed between the read above and the step (another caller, an expiry).
            if (result is null) return Closed((await queries.TaskAsync(id, cancellationToken))!);

            if (result.Status == StepStatus.Ignored)
                return TypedResults.Problem(statusCode: 409, title: "The task cannot be completed", detail: result.Reason);
            return TypedResults.Ok(TaskView.From((await queries.TaskAsync(id, cancellationToken))!));
        }).RequirePermission(Permissions.TasksWork).Validates(new CompleteRequestValidator());

        tasks.MapPost("/{id:long}/decision", async Task<IResult> (long id, DecisionRequest request, ApprovalDesk approvals, UserDirectory users, InstanceQueries queries,
            ProcessForms forms, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var name = user.Identity!.Name!;
            var variables = request.Variables;
            if (await queries.TaskAsync(id, cancellationToken) is { State: UserTaskStates.Open } task && await forms.ForTaskAsync(task, cancellationToken) is { } form)
            {
                // A form's "comment" field is the decision's comment (a reason on reject), however it was sent.
                if (request.Comment is { } comment && form.Schema.Fields.Any(f => f.Key == "comment") && variables?.ContainsKey("comment") != true)
                {
                    var withComment = (JsonObject?)variables?.DeepClone() ?? [];
                    withComment["comment"] = comment;
                    variables = withComment;
                }

                var check = form.Check(variables, request.Decision);
                if (!check.IsValid) return FormsEndpoints.Refused(check);
                variables = check.Variables;
            }

            var result = await approvals.DecideAsync(id, name, await users.GroupsOfAsync(name, cancellationToken), request.Decision!, request.Comment,
                request.Channel ?? ApprovalChannels.Api, variables, cancellationToken);
            return result.Status == DecisionStatus.Decided
                ? TypedResults.Ok(new { task = TaskView.From((await queries.TaskAsync(id, cancellationToken))!), outcome = result.Outcome })
                : Refused(result);
        }).RequirePermission(Permissions.TasksWork).Validates(new DecisionRequestValidator());

        tasks.MapPost("/{id:long}/reassign", async Task<IResult> (long id, ReassignRequest request, ApprovalDesk approvals, UserDirectory users, InstanceQueries queries, ClaimsPrincipal user,
            CancellationToken cancellationToken) =>
        {
            if (await users.GetAsync(request.To!, cancellationToken) is null) return NoSuchUser(request.To!);
            var result = await approvals.ReassignAsync(id, request.From, request.To!, user.Identity!.Name!, [], delegated: false, cancellationToken);
            return result.Status == DecisionStatus.Decided ? TypedResults.Ok(TaskView.From((await queries.TaskAsync(id, cancellationToken))!)) : Refused(result);
        }).RequirePermission(Permissions.InstancesOperate).Validates(new ReassignRequestValidator());

        tasks.MapPost("/{id:long}/delegate", async Task<IResult> (long id, DelegateRequest request, ApprovalDesk approvals, UserDirectory users, InstanceQueries queries,
            ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            if (await users.GetAsync(request.To!, cancellationToken) is null) return NoSuchUser(request.To!);
            var name = user.Identity!.Name!;
            var result = await approvals.ReassignAsync(id, null, request.To!, name, await users.GroupsOfAsync(name, cancellationToken), delegated: true, cancellationToken);
            return result.Status == DecisionStatus.Decided ? TypedResults.Ok(TaskView.From((await queries.TaskAsync(id, cancellationToken))!)) : Refused(result);
        }).RequirePermission(Permissions.TasksWork).Validates(new DelegateRequestValidator());
    }

    private static IResult NoSuchUser(string name) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = [$"There is no user '{name}'; create it first (POST /api/users)."] });

    private static IResult Refused(DecisionResult result) => result.Status switch
    {
        DecisionStatus.NotFound => TypedResults.Problem(statusCode: 404, title: "No such task", detail: result.Message),
        DecisionStatus.Forbidden => TypedResults.Problem(statusCode: 403, title: "Not yours to decide", detail: result.Message),
        _ => TypedResults.Problem(statusCode: 409, title: "The task cannot take this", detail: result.Message),
    };
}
