using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace WeOps.Server.Auth;

/// <summary>Turns a refused authorization into a 403 problem that names the missing permission; a
/// missing or invalid key is left to the authentication handler's 401 challenge.</summary>
public sealed class AuthorizationProblems(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            await fallback.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<PermissionRequirement>()
            .Select(r => r.Permission).Distinct().ToList() ?? [];
        var roles = context.User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        var detail = missing.Count == 0
            ? "The request is not allowed for this key."
            : $"This request needs the permission '{string.Join("', '", missing)}', granted by the role(s) "
              + $"{string.Join(", ", missing.SelectMany(Permissions.RolesGranting).Distinct())}; "
              + $"'{context.User.Identity?.Name}' has {(roles.Count == 0 ? "no role" : string.Join(", ", roles))}.";
        var problem = new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Permission required", Detail = detail };
        problem.Extensions["missingPermissions"] = missing;

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
