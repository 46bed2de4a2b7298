using System.Security.Claims;
using System.Text.Json.Nodes;
using FluentValidation;
using WeOps.Engine.Persistence;
using WeOps.Server.Api;
using WeOps.Server.Auth;
using WeOps.Server.Forms;

namespace WeOps.Server.Endpoints;

/// <summary>Process instances: start, look at, and operate on them.</summary>
public static class InstancesEndpoints
{
    public sealed record StartRequest(string? DefinitionKey, int? Version, string? BusinessKey, JsonObject? Variables);

    public sealed record MigrateRequest(int? ToVersion, Dictionary<string, string>? Mapping);

    public sealed record CancelRequest(string? Reason);

    public sealed class StartRequestValidator : AbstractValidator<StartRequest>
    {
        public StartRequestValidator()
        {
            RuleFor(r => r.DefinitionKey).NotEmpty().WithMessage("definitionKey is required: the id of the process to start.")
                .MaximumLength(200).WithMessage("definitionKey may have at most 200 characters.");
            RuleFor(r => r.Version).GreaterThan(0).When(r => r.Version is not null).WithMessage("version must be 1 or more; leave it out for the latest.");
            RuleFor(r => r.BusinessKey).MaximumLength(200).WithMessage("businessKey may have at most 200 characters.");
        }
    }

    public sealed class MigrateRequestValidator : AbstractValidator<MigrateRequest>
    {
        public MigrateRequestValidator()
        {
            RuleFor(r => r.ToVersion).NotNull().WithMessage("toVersion is required.").GreaterThan(0).WithMessage("toVersion must be 1 or more.");
            RuleFor(r => r.Mapping).Must(m => m is null || m.Count <= 10_000).WithMessage("mapping may have at most 10000 entries.");
        }
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var instances = app.MapGroup("/api/instances").WithTags("Instances");

        instances.MapPost("", async Task<IResult> (StartRequest request, InstanceStore store, DefinitionStore definitions, ProcessForms forms, ClaimsPrincipal user,
            CancellationToken cancellationToken) =>
        {
            var variables = request.Variables;
            if (await forms.ForStartAsync(request.DefinitionKey!, request.Version, cancellationToken) is { Form: { } form } start)
            {
                var check = form.Check(variables);
                if (!check.IsValid) return FormsEndpoints.Refused(check);
                // Pinned to the version whose form was checked, should another be published meanwhile.
                request = request with { Version = start.Version };
                variables = check.Variables;
            }

            try
            {
                var state = await store.StartAsync(request.DefinitionKey!, request.Version, variables, request.BusinessKey, cancellationToken,
                    startedBy: user.Identity?.Name);
                var view = await InstanceView.FromStateAsync(state, definitions, cancellationToken);
                return TypedResults.Created($"/api/instances/{state.InstanceId}", view);
            }
            catch (StartRefusedException e)
            {
                var known = await definitions.DraftAsync(request.DefinitionKey!, cancellationToken) is not null;
                return TypedResults.Problem(statusCode: known ? 422 : 404, title: known ? "The process cannot be started" : "No such process", detail: e.Message);
            }
        }).RequirePermission(Permissions.InstancesOperate).Validates(new StartRequestValidator());

        instances.MapGet("", async (string? definitionKey, string? status, string? businessKey, int? limit, int? offset, InstanceQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.ListAsync(new InstanceFilter(definitionKey, status, businessKey, Math.Clamp(limit ?? 100, 1, 1000), Math.Max(offset ?? 0, 0)), cancellationToken)))
            .RequirePermission(Permissions.InstancesRead);

        instances.MapGet("/{id:guid}", async Task<IResult> (Guid id, InstanceQueries queries, DefinitionStore definitions, CancellationToken cancellationToken) =>
            await queries.GetAsync(id, cancellationToken) is { } detail
                ? TypedResults.Ok(await InstanceView.FromDetailAsync(detail, definitions, cancellationToken))
                : NoInstance(id))
            .RequirePermission(Permissions.InstancesRead);

        instances.MapGet("/{id:guid}/outputs/{reference}", async Task<IResult> (Guid id, string reference, LargeOutputStore outputs, CancellationToken cancellationToken) =>
            await outputs.FindAsync(id, reference, cancellationToken) is { } output
                ? TypedResults.Text(output.Content, "text/plain; charset=utf-8")
                : TypedResults.Problem(statusCode: 404, title: "No such output",
                    detail: $"Instance {id} has no stored output '{CredentialsEndpoints.Printable(reference)}'."))
            .RequirePermission(Permissions.InstancesRead);

        instances.MapPost("/{id:guid}/cancel", async Task<IResult> (Guid id, CancelRequest? request, InstanceCommands commands, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            Outcome(id, await commands.CancelAsync(id, request?.Reason, user.Identity?.Name, cancellationToken)))
            .RequirePermission(Permissions.InstancesOperate);

        instances.MapPost("/{id:guid}/retry", async Task<IResult> (Guid id, InstanceCommands commands, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            Outcome(id, await commands.RetryAsync(id, user.Identity?.Name, cancellationToken)))
            .RequirePermission(Permissions.InstancesOperate);

        instances.MapPost("/{id:guid}/variables", async Task<IResult> (Guid id, JsonObject variables, InstanceCommands commands, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            variables.Count == 0
                ? TypedResults.Problem(statusCode: 400, title: "No variables", detail: "Send a JSON object with the variables to set, e.g. {\"host\": \"web-2\"}.")
                : Outcome(id, await commands.SetVariablesAsync(id, variables, user.Identity?.Name, cancellationToken)))
            .RequirePermission(Permissions.InstancesOperate);

        instances.MapPost("/{id:guid}/migrate", async Task<IResult> (Guid id, MigrateRequest request, InstanceCommands commands, InstanceQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            if (await queries.GetAsync(id, cancellationToken) is null) return NoInstance(id);
            var refused = await commands.MigrateAsync(id, request.ToVersion!.Value, request.Mapping ?? [], user.Identity?.Name, cancellationToken);
            if (refused is not null)
                return TypedResults.Problem(statusCode: 422, title: "The instance cannot move to that version", detail: string.Join(" ", refused.Reasons),
                    extensions: new Dictionary<string, object?> { ["reasons"] = refused.Reasons });
            var detail = (await queries.GetAsync(id, cancellationToken))!;
            return TypedResults.Ok(new { id, version = detail.Summary.Version, status = detail.Summary.Status });
        }).RequirePermission(Permissions.InstancesOperate).Validates(new MigrateRequestValidator());
    }

    private static IResult Outcome(Guid id, StepOutcome outcome) => outcome.Status switch
    {
        StepStatus.NotFound => NoInstance(id),
        StepStatus.Ignored => TypedResults.Problem(statusCode: 409, title: "Nothing to do", detail: Capitalized(outcome.Reason)),
        _ => TypedResults.Ok(new { id, status = InstanceStatusName.Of(outcome.State!) }),
    };

    private static string? Capitalized(string? text) => string.IsNullOrEmpty(text) ? text : char.ToUpperInvariant(text[0]) + text[1..] + ".";

    private static IResult NoInstance(Guid id) =>
        TypedResults.Problem(statusCode: 404, title: "No such instance", detail: $"There is no instance {id}.");
}
