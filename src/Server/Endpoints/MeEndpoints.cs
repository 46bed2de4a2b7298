using System.Security.Claims;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>Who the caller is: what the designer shows after sign-in and uses to hide what the caller
/// may not do. Any valid key may ask; it answers only about that key.</summary>
public static class MeEndpoints
{
    public sealed record MeResponse(string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/me", (ClaimsPrincipal user) =>
        {
            var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct().Order(StringComparer.Ordinal).ToList();
            var permissions = Permissions.All.Where(p => Permissions.IsGranted(roles, p)).ToList();
            return TypedResults.Ok(new MeResponse(user.Identity?.Name ?? "", roles, permissions));
        })
        // Authenticated, no permission: every role may know who it is.
        .RequireAuthorization()
        .WithTags("Me");
}
