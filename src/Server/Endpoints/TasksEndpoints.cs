using System.Security.Claims;
using System.Text.Json.Nodes;
using FluentValidation;
using WeOps.Engine.Approvals;
using WeOps.Engine.Execution;
using WeOps.Engine.Persistence;
using WeOps.Server.Api;
using WeOps.Server.Auth;
using WeOps.Server.Tasks;
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

        /// <summary>The process the task belongs to; in lists and the single task, not in the answers of commands.</summary>
        public string? ProcessKey { get; init; }
        public int? ProcessVersion { get; init; }
        public string? ProcessName { get; init; }
        public string? BusinessKey { get; init; }

        /// <summary>What the instance is about (<see cref="Worklist.Summary"/>).</summary>
        public string? Summary { get; init; }
        public TicketSummary? Ticket { get; init; }

        /// <summary>Open and past its due time.</summary>
        public bool Overdue { get; init; }

        public static TaskView From(UserTaskRow row) => new(row.Id, row.InstanceId, row.ElementId, row.Name, row.Assignee, Split(row.CandidateGroups), Split(row.CandidateUsers),
            row.State, Utc(row.CreatedAt), row.DueAt is { } due ? Utc(due) : null, row.EndedAt is { } end ? Utc(end) : null, row.EndedBy, JsonNode.Parse(row.Data))
        {
            PendingApprovers = row.Approvers.Length > 1 ? Split(row.Approvers) : null,
        };

        public static TaskView From(UserTaskRow row, TaskContext? context) => context is null ? From(row) : From(row) with
        {
            ProcessKey = context.ProcessKey,
            ProcessVersion = context.ProcessVersion,
            ProcessName = context.ProcessName,
            BusinessKey = context.BusinessKey,
            Summary = context.Summary,
            Ticket = context.Ticket,
            Overdue = context.Overdue,
        };

        private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
    }

    /// <summary>Someone a task can be handed to.</summary>
    public sealed record Person(string Username, string? DisplayName);

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

        tasks.MapGet("", async Task<IResult> (string? scope, string? mine, string? state, string? instanceId, string? processKey, string? assignee, string? candidateGroup,
            string? after, string? limit, Worklist worklist, UserDirectory users, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var (query, problem) = await ReadQueryAsync(scope, mine, state, instanceId, processKey, assignee, candidateGroup, after, limit, users, user, cancellationToken);
            if (problem is not null) return problem;
            var rows = await worklist.ListAsync(query!, cancellationToken);
            var contexts = await worklist.ContextAsync(rows, cancellationToken);
            return TypedResults.Ok(rows.Select(r => TaskView.From(r, contexts.GetValueOrDefault(r.Id))).ToList());
        }).RequirePermission(Permissions.TasksWork);

        tasks.MapGet("/count", async Task<IResult> (string? scope, string? state, Worklist worklist, UserDirectory users, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var (query, problem) = await ReadQueryAsync(scope ?? "mine", null, state, null, null, null, null, null, null, users, user, cancellationToken);
            if (problem is not null) return problem;
            return TypedResults.Ok(new { scope = query!.Scope.ToString().ToLowerInvariant(), count = await worklist.CountAsync(query, cancellationToken) });
        }).RequirePermission(Permissions.TasksWork);

        tasks.MapGet("/people", async (UserDirectory users, CancellationToken cancellationToken) =>
            TypedResults.Ok((await users.ListAsync(cancellationToken)).Select(u => new Person(u.Username, u.DisplayName)).ToList()))
            .RequirePermission(Permissions.TasksWork);

        tasks.MapGet("/{id:long}", async Task<IResult> (long id, InstanceQueries queries, Worklist worklist, CancellationToken cancellationToken) =>
        {
            var task = await queries.TaskAsync(id, cancellationToken);
            if (task is null) return NoSuchTask(id);
            var contexts = await worklist.ContextAsync([task], cancellationToken);
            return TypedResults.Ok(TaskView.From(task, contexts.GetValueOrDefault(id)));
        }).RequirePermission(Permissions.TasksWork);

        tasks.MapPost("/{id:long}/claim", async Task<IResult> (long id, InstanceCommands commands, InstanceQueries queries, Worklist worklist, UserDirectory users,
            ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var name = user.Identity?.Name;
            if (name is null) return TypedResults.Problem(statusCode: 403, title: "Not a person", detail: "A task is claimed by a person; this key belongs to no user.");
            var task = await queries.TaskAsync(id, cancellationToken);
            if (task is null) return NoSuchTask(id);
            if (task.State != UserTaskStates.Open) return Closed(task);
            if (task.Approvers.Length > 1)
                return TypedResults.Problem(statusCode: 409, title: "An approval is not claimed", detail: $"Task {id} is an approval: each approver decides; delegate your seat to hand it on.");
            if (task.Assignee == name) return TypedResults.Problem(statusCode: 409, title: "Already yours", detail: $"Task {id} is already claimed by you.");
            if (task.Assignee is { } holder) return HeldBy(id, holder);
            if (await NotOffered(task, user, users, cancellationToken) is { } notYours)
                return TypedResults.Problem(statusCode: 403, title: "Not your task", detail: notYours);
            return await ClaimedAsync(id, await commands.ClaimTaskAsync(id, name, name, cancellationToken), queries, worklist, cancellationToken);
        }).RequirePermission(Permissions.TasksWork);

        tasks.MapPost("/{id:long}/unclaim", async Task<IResult> (long id, InstanceCommands commands, InstanceQueries queries, Worklist worklist,
            ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var name = user.Identity?.Name;
            var task = await queries.TaskAsync(id, cancellationToken);
            if (task is null) return NoSuchTask(id);
            if (task.State != UserTaskStates.Open) return Closed(task);
            if (task.Assignee is null) return TypedResults.Problem(statusCode: 409, title: "Not claimed", detail: $"Task {id} is held by nobody; there is nothing to release.");
            if (task.Assignee != name && !Permissions.IsGranted(user.FindAll(ClaimTypes.Role).Select(c => c.Value), Permissions.InstancesOperate))
                return TypedResults.Problem(statusCode: 403, title: "Not yours to release",
                    detail: $"Task {id} is held by {task.Assignee}; only {task.Assignee} or an operator can release it.");
            return await ClaimedAsync(id, await commands.ClaimTaskAsync(id, null, name, cancellationToken), queries, worklist, cancellationToken);
        }).RequirePermission(Permissions.TasksWork);

        tasks.MapPost("/{id:long}/complete", async Task<IResult> (long id, CompleteRequest? request, InstanceCommands commands, InstanceQueries queries, UserDirectory users,
            ProcessForms forms, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var task = await queries.TaskAsync(id, cancellationToken);
            if (task is null) return NoSuchTask(id);
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

    /// <summary>The list's query from its parameters, or a 400 naming each bad one; <c>all</c> without the
    /// permission to operate instances is a 403.</summary>
    private static async Task<(WorklistQuery? Query, IResult? Problem)> ReadQueryAsync(string? scope, string? mine, string? state, string? instanceId, string? processKey,
        string? assignee, string? candidateGroup, string? after, string? limit, UserDirectory users, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var mayAll = Permissions.IsGranted(user.FindAll(ClaimTypes.Role).Select(c => c.Value), Permissions.InstancesOperate);
        bool? mineFlag = mine switch { null => null, "true" => true, "false" => false, _ => null };
        if (mine is not null && mineFlag is null) errors["mine"] = ["true or false."];
        WorklistScope? parsed = scope switch
        {
            null => mineFlag == true || !mayAll ? WorklistScope.Mine : WorklistScope.All,
            "mine" => WorklistScope.Mine,
            "groups" => WorklistScope.Groups,
            "all" => WorklistScope.All,
            _ => null,
        };
        if (parsed is null) errors["scope"] = ["mine, groups or all."];
        if (state is not null and not (UserTaskStates.Open or UserTaskStates.Completed or UserTaskStates.Cancelled or "any"))
            errors["state"] = [$"{UserTaskStates.Open}, {UserTaskStates.Completed}, {UserTaskStates.Cancelled} or any."];
        Guid? instance = null;
        if (instanceId is not null)
        {
            if (Guid.TryParse(instanceId, out var id)) instance = id;
            else errors["instanceId"] = ["An instance id: a GUID such as 3f2b8c1e-0000-4000-8000-000000000000."];
        }

        long? afterId = null;
        if (after is not null)
        {
            if (long.TryParse(after, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var a)) afterId = a;
            else errors["after"] = ["The id of the last task of the previous page: a whole number of 0 or more."];
        }

        var size = Worklist.MaxLimit;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size) || size is < 1 or > Worklist.MaxLimit))
            errors["limit"] = [$"1 to {Worklist.MaxLimit}."];
        // An empty filter (?assignee=) filters nothing, as a form's blank field means.
        processKey = NullIfEmpty(processKey);
        assignee = NullIfEmpty(assignee);
        candidateGroup = NullIfEmpty(candidateGroup);
        foreach (var (field, value) in new[] { ("processKey", processKey), ("assignee", assignee), ("candidateGroup", candidateGroup) })
        {
            if (value is not null && (value.Length > 200 || value.Any(char.IsControl)))
                errors[field] = ["at most 200 characters, without control characters."];
        }

        if (errors.Count > 0) return (null, TypedResults.ValidationProblem(errors, title: "The task query is not valid"));
        if (parsed == WorklistScope.All && !mayAll)
            return (null, TypedResults.Problem(statusCode: 403, title: "Not allowed to list everybody's tasks",
                detail: $"scope=all needs the {Permissions.InstancesOperate} permission (roles: {string.Join(", ", Permissions.RolesGranting(Permissions.InstancesOperate))}); use scope=mine or scope=groups."));
        var name = user.Identity?.Name;
        var groups = name is null ? [] : await users.GroupsOfAsync(name, cancellationToken);
        return (new WorklistQuery(parsed!.Value, name, groups, state is "any" ? null : state ?? UserTaskStates.Open, instance, processKey, assignee, candidateGroup, afterId, size), null);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static async Task<IResult> ClaimedAsync(long id, StepOutcome? outcome, InstanceQueries queries, Worklist worklist, CancellationToken cancellationToken)
    {
        var task = await queries.TaskAsync(id, cancellationToken);
        if (task is null) return NoSuchTask(id);
        // Null: it closed between the checks and the step.
        if (outcome is null) return Closed(task);
        if (outcome.Status != StepStatus.Applied)
            return task.Assignee is { } holder && outcome.Reason?.EndsWith("holds it", StringComparison.Ordinal) == true
                ? HeldBy(id, holder)
                : TypedResults.Problem(statusCode: 409, title: "The task cannot take this", detail: $"Task {id}: {outcome.Reason}.");
        var contexts = await worklist.ContextAsync([task], cancellationToken);
        return TypedResults.Ok(TaskView.From(task, contexts.GetValueOrDefault(id)));
    }

    private static IResult HeldBy(long id, string holder) =>
        TypedResults.Problem(statusCode: 409, title: "Claimed by someone else", detail: $"Task {id} is held by {holder}; ask {holder} to release or delegate it, or an operator to reassign it.",
            extensions: new Dictionary<string, object?> { ["holder"] = holder });

    private static IResult NoSuchTask(long id) => TypedResults.Problem(statusCode: 404, title: "No such task", detail: $"There is no task {id}.");

    private static IResult Closed(UserTaskRow task) =>
        TypedResults.Problem(statusCode: 409, title: "The task is closed", detail: $"Task {task.Id} is {task.State}{(task.EndedBy is null ? "" : $" (by {task.EndedBy})")}.");

    private static IResult NoSuchUser(string name) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = [$"There is no user '{name}'; create it first (POST /api/users)."] });

    private static IResult Refused(DecisionResult result) => result.Status switch
    {
        DecisionStatus.NotFound => TypedResults.Problem(statusCode: 404, title: "No such task", detail: result.Message),
        DecisionStatus.Forbidden => TypedResults.Problem(statusCode: 403, title: "Not yours to decide", detail: result.Message),
        _ => TypedResults.Problem(statusCode: 409, title: "The task cannot take this", detail: result.Message),
    };
}
