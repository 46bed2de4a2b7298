using System.Security.Claims;
using System.Text.Json.Nodes;
using FluentValidation;
using WeOps.Engine.Persistence;
using WeOps.Server.Api;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>User tasks: the work people do inside processes.</summary>
public static class TasksEndpoints
{
    public sealed record CompleteRequest(string? Outcome, JsonObject? Variables, string? Comment);

    public sealed record TaskView(long Id, Guid InstanceId, string ElementId, string? Name, string? Assignee, IReadOnlyList<string> CandidateGroups,
        IReadOnlyList<string> CandidateUsers, string State, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, DateTimeOffset? EndedAt, string? EndedBy, JsonNode? Data)
    {
        public static TaskView From(UserTaskRow row) => new(row.Id, row.InstanceId, row.ElementId, row.Name, row.Assignee, Split(row.CandidateGroups), Split(row.CandidateUsers),
            row.State, Utc(row.CreatedAt), row.DueAt is { } due ? Utc(due) : null, row.EndedAt is { } end ? Utc(end) : null, row.EndedBy, JsonNode.Parse(row.Data));

        private static List<string> Split(string joined) => joined.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();

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

    public static void Map(IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/api/tasks").WithTags("Tasks");

        tasks.MapGet("", async (string? assignee, Guid? instanceId, string? state, string? candidateGroup, InstanceQueries queries, CancellationToken cancellationToken) =>
        {
            var rows = await queries.TasksAsync(new TaskFilter(assignee, instanceId, state ?? UserTaskStates.Open, candidateGroup, 500), cancellationToken);
            return TypedResults.Ok(rows.Select(TaskView.From).ToList());
        }).RequirePermission(Permissions.TasksWork);

        tasks.MapPost("/{id:long}/complete", async Task<IResult> (long id, CompleteRequest? request, InstanceCommands commands, InstanceQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var variables = (JsonObject?)request?.Variables?.DeepClone() ?? [];
            if (request?.Outcome is { } outcome) variables["outcome"] = outcome;
            if (request?.Comment is { } comment) variables["comment"] = comment;
            var result = await commands.CompleteTaskAsync(id, variables, user.Identity?.Name, cancellationToken);
            if (result is null)
            {
                var task = await queries.TaskAsync(id, cancellationToken);
                return task is null
                    ? TypedResults.Problem(statusCode: 404, title: "No such task", detail: $"There is no task {id}.")
                    : TypedResults.Problem(statusCode: 409, title: "The task is closed", detail: $"Task {id} is {task.State}{(task.EndedBy is null ? "" : $" (by {task.EndedBy})")}.");
            }

            return TypedResults.Ok(TaskView.From((await queries.TaskAsync(id, cancellationToken))!));
        }).RequirePermission(Permissions.TasksWork).Validates(new CompleteRequestValidator());
    }
}
