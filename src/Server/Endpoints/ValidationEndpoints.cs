using WeOps.Engine.Validation;
using WeOps.Server.Auth;
using WeOps.Server.Validation;

namespace WeOps.Server.Endpoints;

/// <summary>Checks a BPMN file without saving it: what the designer calls while a process is drawn. The
/// validator's problems, then the names the process uses that this server does not know (<see cref="ReferenceCheck"/>).</summary>
public static class ValidationEndpoints
{
    /// <param name="Problems">The first problems (<c>Bpmn:MaxProblems</c>, 1,000 by default), errors first; each has a
    /// <c>code</c> and <c>args</c> to say it in another language.</param>
    /// <param name="TotalProblems">Every problem found, the listed and the others.</param>
    public sealed record ValidationResponse(string? Key, IReadOnlyList<string> Processes, bool Valid, IReadOnlyList<ValidationProblem> Problems, int TotalProblems);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/validate", async (HttpRequest request, ProcessValidator validator, ReferenceCheck references, CancellationToken cancellationToken) =>
        {
            var body = await BpmnBody.ReadAsync(request, cancellationToken);
            if (body.Problem is not null) return body.Problem;
            var document = validator.Validate(body.Xml!);
            if (document.OverLimit is { } over) return BpmnBody.OverLimit(over, document.Problems);
            var warnings = await references.CheckAsync(document, cancellationToken);
            var (problems, total) = ReferenceCheck.Merge(document.Problems, document.TotalProblems, warnings, validator.Limits.MaxProblems);
            return Results.Ok(new ValidationResponse(
                document.Main?.Key,
                document.Processes.Select(p => p.Key).ToList(),
                !document.HasErrors,
                problems,
                total));
        }).RequirePermission(Permissions.DefinitionsRead);
}
