using System.Security.Claims;
using WeOps.Activities.Credentials;
using WeOps.Activities.Inventory;
using Host = WeOps.Activities.Inventory.Host;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>The host inventory that SSH steps name hosts from or select by tag.</summary>
public static class HostsEndpoints
{
    public sealed record SaveHostRequest(string? Address, int? Port, string? User, string? Credential, IReadOnlyList<string>? Tags, string? KnownHosts);

    public static void Map(IEndpointRouteBuilder app)
    {
        var hosts = app.MapGroup("/api/hosts").WithTags("Hosts");

        hosts.MapGet("", async (HostStore store, CancellationToken cancellationToken) => TypedResults.Ok(await store.ListAsync(cancellationToken)))
            .RequirePermission(Permissions.InventoryRead);

        hosts.MapGet("/{name}", async Task<IResult> (string name, HostStore store, CancellationToken cancellationToken) =>
            await store.FindAsync(name, cancellationToken) is { } host && host.Name == name ? TypedResults.Ok(host) : NotFound(name))
            .RequirePermission(Permissions.InventoryRead);

        hosts.MapPut("/{name}", async Task<IResult> (string name, SaveHostRequest request, HostStore store, CredentialStore credentials,
            ClaimsPrincipal user, ILogger<HostStore> log, CancellationToken cancellationToken) =>
        {
            var host = new Host(name, request.Address?.Trim() ?? "", request.Port ?? 22, NullIfBlank(request.User), NullIfBlank(request.Credential),
                request.Tags ?? [])
            {
                KnownHosts = NullIfBlank(request.KnownHosts),
            };
            var errors = HostStore.Check(host)
                .Select(p => (Field: p[..p.IndexOf(':', StringComparison.Ordinal)], Message: p[(p.IndexOf(':', StringComparison.Ordinal) + 2)..]))
                .ToList();
            if (errors.Count == 0 && host.Credential is { } credential && !await credentials.ExistsAsync(credential, cancellationToken))
                errors.Add(("credential", $"There is no credential named '{credential}'; create it first (PUT /api/credentials/{credential})."));
            if (errors.Count > 0)
                return TypedResults.ValidationProblem(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                    title: "The host is not valid");
            var created = await store.SaveAsync(host, user.Identity?.Name, cancellationToken);
            log.LogInformation("Host {Host} ({Address}:{Port}) {Change} by {User}", host.Name, host.Address, host.Port, created ? "created" : "replaced", user.Identity?.Name);
            return created ? TypedResults.Created($"/api/hosts/{name}", host) : TypedResults.Ok(host);
        }).RequirePermission(Permissions.Admin);

        hosts.MapDelete("/{name}", async Task<IResult> (string name, HostStore store, ClaimsPrincipal user, ILogger<HostStore> log, CancellationToken cancellationToken) =>
        {
            if (!await store.DeleteAsync(name, cancellationToken)) return NotFound(name);
            log.LogInformation("Host {Host} deleted by {User}", name, user.Identity?.Name);
            return TypedResults.NoContent();
        }).RequirePermission(Permissions.Admin);
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static IResult NotFound(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such host",
            detail: $"There is no host named '{CredentialsEndpoints.Printable(name)}' in the inventory.");
}
