using WeOps.Server.Audit;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>The audit log, newest first, for admins: filtered by actor, action (or a prefix such as <c>user.</c>)
/// and time, a page at a time.</summary>
public static class AuditEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/audit", async Task<IResult> (string? action, string? actor, long? before, int? limit, DateTimeOffset? since, DateTimeOffset? until,
            AuditLog audit, CancellationToken cancellationToken) =>
            {
                if (limit is < 1 or > AuditLog.MaxLimit)
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit must be between 1 and {AuditLog.MaxLimit}."] });
                if (since is { } s && until is { } u && u < s)
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["until"] = ["until must not be before since."] });
                return TypedResults.Ok(await audit.ListAsync(action?.Trim(), actor?.Trim(), before, limit ?? 100, cancellationToken, since, until));
            })
            .WithTags("Audit").RequirePermission(Permissions.Admin);
}
