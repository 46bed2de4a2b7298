using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace WeOps.Server.Auth;

/// <summary>Endpoint metadata naming the permission a route needs (read by the tests and the OpenAPI document).</summary>
public sealed record RequiredPermission(string Permission);

/// <summary>The requirement behind each permission's policy: some role of the caller grants it.</summary>
public sealed record PermissionRequirement(string Permission) : IAuthorizationRequirement;

public sealed class PermissionHandler : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        var roles = context.User.FindAll(ClaimTypes.Role).Select(c => c.Value);
        if (Permissions.IsGranted(roles, requirement.Permission)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

public static class PermissionEndpointExtensions
{
    /// <summary>The route (or every route of a group) needs <paramref name="permission"/>: a request
    /// without a valid key gets 401, one whose roles do not grant it 403.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission)
        where TBuilder : IEndpointConventionBuilder
    {
        if (!Permissions.All.Contains(permission))
            throw new ArgumentException($"'{permission}' is not a permission; see {nameof(Permissions)}.", nameof(permission));
        return builder.RequireAuthorization(permission).WithMetadata(new RequiredPermission(permission));
    }
}
