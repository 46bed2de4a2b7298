using WeOps.Server.Audit;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>The audit log, newest first, for admins.</summary>
public static class AuditEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/audit", async Task<IResult> (string? action, string? actor, long? before, int? limit, AuditLog audit, CancellationToken cancellationToken) =>
            {
                if (limit is < 1 or > AuditLog.MaxLimit)
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit must be between 1 and {AuditLog.MaxLimit}."] });
                return TypedResults.Ok(await audit.ListAsync(action, actor, before, limit ?? 100, cancellationToken));
            })
            .WithTags("Audit").RequirePermission(Permissions.Admin);
}
