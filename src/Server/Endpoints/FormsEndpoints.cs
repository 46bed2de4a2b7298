using System.Text.Json.Nodes;
using WeOps.Engine.Forms;
using WeOps.Engine.Persistence;
using WeOps.Server.Auth;
using WeOps.Server.Forms;

namespace WeOps.Server.Endpoints;

/// <summary>The forms people fill (ADR 0022): a task's form and a process's start form, each with the data it is
/// shown with. Submissions go with the task's completion, decision or the instance's start, checked by
/// <see cref="FormSubmission"/>.</summary>
public static class FormsEndpoints
{
    /// <summary><see cref="Schema"/>: the form-js JSON schema, null when there is no form.</summary>
    public sealed record FormView(JsonNode? Schema, JsonObject Data);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tasks/{id:long}/form", async Task<IResult> (long id, InstanceQueries queries, ProcessForms forms, CancellationToken cancellationToken) =>
        {
            var task = await queries.TaskAsync(id, cancellationToken);
            if (task is null) return TypedResults.Problem(statusCode: 404, title: "No such task", detail: $"There is no task {id}.");
            return TypedResults.Ok(View(await forms.ForTaskAsync(task, cancellationToken)));
        }).WithTags("Tasks").RequirePermission(Permissions.TasksWork);

        app.MapGet("/api/definitions/{key}/start-form", async Task<IResult> (string key, ProcessForms forms, CancellationToken cancellationToken) =>
            await forms.ForStartAsync(key, null, cancellationToken) is { } start
                ? TypedResults.Ok(View(start.Form))
                : TypedResults.Problem(statusCode: 404, title: "No published version",
                    detail: $"The process '{CredentialsEndpoints.Printable(key)}' has no published version to start."))
            .WithTags("Definitions").RequirePermission(Permissions.InstancesOperate);
    }

    private static FormView View(ShownForm? form) => form is null ? new FormView(null, []) : new FormView(JsonNode.Parse(form.Schema.Json), form.Data);

    /// <summary>The 422 of a submission that does not fit its form: errors keyed by field, nothing written.</summary>
    public static IResult Refused(FormCheck check) =>
        Results.ValidationProblem(check.Errors, detail: "Correct the fields named in errors; nothing was saved.", title: "The form has errors", statusCode: StatusCodes.Status422UnprocessableEntity);
}
