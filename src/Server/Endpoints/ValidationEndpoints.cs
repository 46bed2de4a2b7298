using WeOps.Engine.Validation;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>Checks a BPMN file without saving it: what the designer calls while a process is drawn.</summary>
public static class ValidationEndpoints
{
    /// <param name="Problems">The first problems (<c>Bpmn:MaxProblems</c>, 1,000 by default), errors first.</param>
    /// <param name="TotalProblems">Every problem found, the listed and the others.</param>
    public sealed record ValidationResponse(string? Key, IReadOnlyList<string> Processes, bool Valid, IReadOnlyList<ValidationProblem> Problems, int TotalProblems);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/validate", async (HttpRequest request, ProcessValidator validator, CancellationToken cancellationToken) =>
        {
            var body = await BpmnBody.ReadAsync(request, cancellationToken);
            if (body.Problem is not null) return body.Problem;
            var document = validator.Validate(body.Xml!);
            if (document.OverLimit is { } over) return BpmnBody.OverLimit(over, document.Problems);
            return Results.Ok(new ValidationResponse(
                document.Main?.Key,
                document.Processes.Select(p => p.Key).ToList(),
                !document.HasErrors,
                document.Problems,
                document.TotalProblems));
        }).RequirePermission(Permissions.DefinitionsRead);
}
