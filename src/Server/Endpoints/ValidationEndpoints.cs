using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>Checks a BPMN file without saving it: what the designer calls while a process is drawn.</summary>
public static class ValidationEndpoints
{
    public sealed record ValidationResponse(string? Key, IReadOnlyList<string> Processes, bool Valid, IReadOnlyList<ValidationProblem> Problems);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/validate", async (HttpRequest request, ProcessValidator validator, CancellationToken cancellationToken) =>
        {
            var body = await BpmnBody.ReadAsync(request, cancellationToken);
            if (body.Problem is not null) return body.Problem;
            var document = validator.Validate(BpmnParser.Parse(body.Xml!));
            return Results.Ok(new ValidationResponse(
                document.Main?.Key,
                document.Processes.Select(p => p.Key).ToList(),
                !document.HasErrors,
                document.Problems));
        }).RequirePermission(Permissions.DefinitionsRead);
}
