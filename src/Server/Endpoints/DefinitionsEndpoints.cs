using System.Security.Claims;
using FluentValidation;
using WeOps.Engine.Parsing;
using WeOps.Engine.Persistence;
using WeOps.Engine.Validation;
using WeOps.Server.Api;
using WeOps.Server.Auth;
using WeOps.Server.Validation;

namespace WeOps.Server.Endpoints;

/// <summary>Process definitions: a draft per process, and numbered, immutable published versions.</summary>
public static class DefinitionsEndpoints
{
    /// <param name="TotalProblems">Every problem found; <paramref name="Problems"/> lists the first ones.</param>
    public sealed record DraftResponse(string? Key, IReadOnlyList<ValidationProblem> Problems, int TotalProblems);

    public sealed record PublishRequest(string? Note);

    public sealed class PublishRequestValidator : AbstractValidator<PublishRequest>
    {
        public PublishRequestValidator()
        {
            RuleFor(r => r.Note).MaximumLength(2000).WithMessage("note may have at most 2000 characters.");
        }
    }

    /// <param name="Warnings">Names the published version uses that this server does not know (<see cref="ReferenceCheck"/>).</param>
    public sealed record PublishResponse(string Key, int Version, bool Created, IReadOnlyList<ValidationProblem> Warnings);

    public sealed record PublishRefused(string Key, IReadOnlyList<ValidationProblem> Problems, int TotalProblems)
    {
        public string Title => "The draft has errors and cannot be published";
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var definitions = app.MapGroup("/api/definitions").WithTags("Definitions");

        definitions.MapPost("", async Task<IResult> (HttpRequest request, DefinitionStore store, ProcessValidator validator, ReferenceCheck references, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var body = await BpmnBody.ReadAsync(request, cancellationToken);
            if (body.Problem is not null) return body.Problem;
            var saved = await store.SaveDraftAsync(body.Xml!, user.Identity?.Name, cancellationToken);
            if (saved.OverLimit is { } over) return BpmnBody.OverLimit(over, saved.Problems);
            if (saved.Key is null) return TypedResults.UnprocessableEntity(new DraftResponse(null, saved.Problems, saved.TotalProblems));
            // After the save: what the server does not know is a warning, never a reason to keep a draft unsaved.
            var warnings = await references.CheckAsync(BpmnParser.Parse(body.Xml!, validator.Limits), cancellationToken);
            var (problems, total) = ReferenceCheck.Merge(saved.Problems, saved.TotalProblems, warnings, validator.Limits.MaxProblems);
            return TypedResults.Ok(new DraftResponse(saved.Key, problems, total));
        }).RequirePermission(Permissions.DefinitionsWrite).Accepts<string>("application/xml", "text/xml", "text/plain");

        definitions.MapGet("", async (DefinitionStore store, CancellationToken cancellationToken) =>
            TypedResults.Ok(await store.ListAsync(cancellationToken))).RequirePermission(Permissions.DefinitionsRead);

        definitions.MapGet("/{key}/draft", async Task<IResult> (string key, DefinitionStore store, CancellationToken cancellationToken) =>
            await store.DraftAsync(key, cancellationToken) is { } xml ? TypedResults.Text(xml, "application/xml") : NoProcess(key))
            .RequirePermission(Permissions.DefinitionsRead);

        definitions.MapPost("/{key}/publish", async Task<IResult> (string key, PublishRequest? request, DefinitionStore store, ReferenceCheck references, ClaimsPrincipal user,
            HttpContext http, CancellationToken cancellationToken) =>
        {
            try
            {
                var published = await store.PublishAsync(key, request?.Note, user.Identity?.Name, cancellationToken,
                    Audit.AuditLog.Note(http, Audit.AuditActions.ProcessPublished, $"process {key}"));
                if (published is null) return NoProcess(key);
                var xml = await store.VersionXmlAsync(key, published.Version, cancellationToken);
                var warnings = xml is null ? [] : await references.CheckAsync(BpmnParser.Parse(xml), cancellationToken);
                var response = new PublishResponse(key, published.Version, published.Created, warnings);
                return published.Created ? TypedResults.Created($"/api/definitions/{key}/versions/{published.Version}", response) : TypedResults.Ok(response);
            }
            catch (DefinitionInvalidException e)
            {
                return TypedResults.UnprocessableEntity(new PublishRefused(key, e.Problems, e.TotalProblems));
            }
        }).RequirePermission(Permissions.DefinitionsWrite).Validates(new PublishRequestValidator());

        definitions.MapGet("/{key}/versions", async Task<IResult> (string key, DefinitionStore store, CancellationToken cancellationToken) =>
            await store.VersionsAsync(key, cancellationToken) is { } versions ? TypedResults.Ok(versions) : NoProcess(key))
            .RequirePermission(Permissions.DefinitionsRead);

        definitions.MapGet("/{key}/versions/{version:int}", async Task<IResult> (string key, int version, DefinitionStore store, CancellationToken cancellationToken) =>
            await store.VersionXmlAsync(key, version, cancellationToken) is { } xml
                ? TypedResults.Text(xml, "application/xml")
                : TypedResults.Problem(statusCode: 404, title: "No such version", detail: $"Process '{key}' has no published version {version}."))
            .RequirePermission(Permissions.DefinitionsRead);
    }

    private static IResult NoProcess(string key) =>
        TypedResults.Problem(statusCode: 404, title: "No such process", detail: $"There is no process '{key}'. Save its BPMN file with POST /api/definitions first.");
}
