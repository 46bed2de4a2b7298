using System.Security.Claims;
using WeOps.Activities.Credentials;
using WeOps.Activities.Inventory;
using WeOps.Activities.Ssh;
using Host = WeOps.Activities.Inventory.Host;
using WeOps.Server.Audit;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>The host inventory that SSH steps name hosts from or select by tag.</summary>
public static class HostsEndpoints
{
    public sealed record SaveHostRequest(string? Address, int? Port, string? User, string? Credential, IReadOnlyList<string>? Tags, string? KnownHosts);

    /// <summary>A CSV or YAML inventory to preview or import; <see cref="Credential"/> is given to the hosts that name none.</summary>
    public sealed record ImportHostsRequest(string? Format, string? Text, string? Credential);

    public sealed record ImportRowView(int Line, string Name, string Address, int Port, string? User, string? Credential, IReadOnlyList<string> Tags,
        bool Replaces, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors);

    /// <summary>What an import would do (<see cref="Imported"/> false) or did: every row, valid or not.</summary>
    public sealed record ImportResult(bool Imported, int Valid, int Invalid, int Created, int Replaced, IReadOnlyList<ImportRowView> Rows);

    public static void Map(IEndpointRouteBuilder app)
    {
        var hosts = app.MapGroup("/api/hosts").WithTags("Hosts");

        // The filter is the ssh.exec step's: 'tags: web+env:prod !env:staging' lists the hosts such a step would reach.
        hosts.MapGet("", async Task<IResult> (string? tags, HostStore store, CancellationToken cancellationToken) =>
            {
                var all = await store.ListAsync(cancellationToken);
                if (string.IsNullOrWhiteSpace(tags)) return TypedResults.Ok(all);
                TagFilter filter;
                try
                {
                    filter = TagFilter.Parse(TagFilter.IsFilter(tags) ? tags : TagFilter.Prefix + " " + tags);
                }
                catch (FormatException e)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["tags"] = [e.Message] }, title: "The tag filter is not valid");
                }

                return TypedResults.Ok(all.Where(filter.Matches).ToList());
            })
            .RequirePermission(Permissions.InventoryRead);

        hosts.MapPost("/import/preview", (ImportHostsRequest request, HostStore store, CredentialStore credentials, HttpContext http, CancellationToken cancellationToken) =>
            ImportAsync(request, false, store, credentials, http, cancellationToken)).RequirePermission(Permissions.Admin);
        hosts.MapPost("/import", (ImportHostsRequest request, HostStore store, CredentialStore credentials, HttpContext http, CancellationToken cancellationToken) =>
            ImportAsync(request, true, store, credentials, http, cancellationToken)).RequirePermission(Permissions.Admin);

        hosts.MapGet("/{name}", async Task<IResult> (string name, HostStore store, CancellationToken cancellationToken) =>
            await store.FindAsync(name, cancellationToken) is { } host && host.Name == name ? TypedResults.Ok(host) : NotFound(name))
            .RequirePermission(Permissions.InventoryRead);

        hosts.MapPut("/{name}", async Task<IResult> (string name, SaveHostRequest request, HostStore store, CredentialStore credentials,
            ClaimsPrincipal user, HttpContext http, ILogger<HostStore> log, CancellationToken cancellationToken) =>
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
            var created = await store.SaveAsync(host, user.Identity?.Name, cancellationToken,
                AuditLog.Note(http, AuditActions.HostSaved, $"host {host.Name}: {host.Address}:{host.Port} user {host.User ?? "-"} credential {host.Credential ?? "-"} tags {(host.Tags.Count == 0 ? "-" : string.Join(",", host.Tags))}"));
            log.LogInformation("Host {Host} ({Address}:{Port}) {Change} by {User}", host.Name, host.Address, host.Port, created ? "created" : "replaced", user.Identity?.Name);
            return created ? TypedResults.Created($"/api/hosts/{name}", host) : TypedResults.Ok(host);
        }).RequirePermission(Permissions.Admin);

        hosts.MapDelete("/{name}", async Task<IResult> (string name, HostStore store, ClaimsPrincipal user, HttpContext http, ILogger<HostStore> log,
            CancellationToken cancellationToken) =>
        {
            if (!await store.DeleteAsync(name, cancellationToken, AuditLog.Note(http, AuditActions.HostDeleted, $"host {CredentialsEndpoints.Printable(name)}"))) return NotFound(name);
            log.LogInformation("Host {Host} deleted by {User}", name, user.Identity?.Name);
            return TypedResults.NoContent();
        }).RequirePermission(Permissions.Admin);
    }

    /// <summary>Reads the file, checks every row (credentials must exist) and, when <paramref name="write"/>, saves the
    /// valid rows in one transaction. A file that cannot be read at all is a 422 naming the line or field.</summary>
    private static async Task<IResult> ImportAsync(ImportHostsRequest request, bool write, HostStore store, CredentialStore credentials, HttpContext http,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<HostImportRow> rows;
        try
        {
            if (string.IsNullOrWhiteSpace(request.Format)) throw new HostImportException("format", "format is required: 'csv' or 'yaml'.");
            if (string.IsNullOrWhiteSpace(request.Text)) throw new HostImportException("text", "text is required: the content of the CSV or YAML file.");
            rows = HostImport.Read(request.Format, request.Text, request.Credential);
        }
        catch (HostImportException e)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [e.Where] = [e.Message] }, statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The file cannot be imported");
        }

        var known = (await credentials.ListAsync(cancellationToken)).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var existing = (await store.ListAsync(cancellationToken)).Select(h => h.Name).ToHashSet(StringComparer.Ordinal);
        var views = rows.Select(r =>
        {
            var errors = r.Errors.ToDictionary(e => e.Key, e => e.Value);
            if (r.Host.Credential is { } credential && !errors.ContainsKey("credential") && !known.Contains(credential))
                errors["credential"] = [$"There is no credential named '{credential}'; create it first."];
            return new ImportRowView(r.Line, r.Host.Name, r.Host.Address, r.Host.Port, r.Host.User, r.Host.Credential, r.Host.Tags, existing.Contains(r.Host.Name), errors);
        }).ToList();
        var valid = views.Where(v => v.Errors.Count == 0).ToList();
        var created = 0;
        if (write && valid.Count > 0)
        {
            var lines = valid.Select(v => v.Line).ToHashSet();
            var hosts = rows.Where(r => lines.Contains(r.Line)).Select(r => r.Host).ToList();
            created = await store.SaveManyAsync(hosts, http.User.Identity?.Name, cancellationToken,
                AuditLog.Note(http, AuditActions.HostsImported, $"{hosts.Count} host(s) from {request.Format!.Trim().ToLowerInvariant()}: {string.Join(",", hosts.Select(h => h.Name).Take(50))}"));
        }

        return TypedResults.Ok(new ImportResult(write && valid.Count > 0, valid.Count, views.Count - valid.Count, created,
            write ? valid.Count - created : valid.Count(v => v.Replaces), views));
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static IResult NotFound(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such host",
            detail: $"There is no host named '{CredentialsEndpoints.Printable(name)}' in the inventory.");
}
