using System.Security.Claims;
using System.Text.Json.Nodes;
using WeOps.Activities.Credentials;
using WeOps.Server.Audit;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>Named credentials that steps use. Values go in and never come out: every answer carries
/// the names of the fields that are set, not what they hold.</summary>
public static class CredentialsEndpoints
{
    public sealed record SaveCredentialRequest(string? Kind, string? Description, JsonObject? Values);

    /// <summary>The fields a kind takes, for the admin console's forms.</summary>
    public sealed record KindFields(string Kind, IReadOnlyList<string> Required, IReadOnlyList<string> Optional, IReadOnlyList<IReadOnlyList<string>> AtLeastOneOf);

    public static void Map(IEndpointRouteBuilder app)
    {
        var credentials = app.MapGroup("/api/credentials").WithTags("Credentials");

        credentials.MapGet("", async (CredentialStore store, CancellationToken cancellationToken) =>
            TypedResults.Ok(await store.ListAsync(cancellationToken)))
            .RequirePermission(Permissions.CredentialsRead);

        credentials.MapGet("/kinds", () => TypedResults.Ok(CredentialKinds.Schemas
                .Select(k => new KindFields(CredentialKinds.Name(k.Key), k.Value.Required, k.Value.Optional, k.Value.AtLeastOneOf)).ToList()))
            .RequirePermission(Permissions.CredentialsRead);

        credentials.MapGet("/{name}", async Task<IResult> (string name, CredentialStore store, CancellationToken cancellationToken) =>
            await store.FindAsync(name, cancellationToken) is { } summary ? TypedResults.Ok(summary) : NotFound(name))
            .RequirePermission(Permissions.CredentialsRead);

        credentials.MapPut("/{name}", async Task<IResult> (string name, SaveCredentialRequest request, CredentialStore store, ClaimsPrincipal user,
            HttpContext http, ILogger<CredentialStore> log, CancellationToken cancellationToken) =>
        {
            var errors = Check(name, request, out var kind, out var values);
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The credential is not valid");
            var existed = await store.ExistsAsync(name, cancellationToken);
            // The line names the fields that were set, never what they hold.
            var note = AuditLog.Note(http, existed ? AuditActions.CredentialRotated : AuditActions.CredentialCreated,
                $"credential {name} ({CredentialKinds.Name(kind)}): fields {string.Join(",", values.Keys.Order(StringComparer.Ordinal))}");
            var (created, summary) = await store.SaveAsync(name, kind, request.Description?.Trim(), values, user.Identity?.Name, cancellationToken, note);
            log.LogInformation("Credential {Credential} ({Kind}, fields {Fields}) {Change} by {User}",
                name, CredentialKinds.Name(kind), summary.Fields, created ? "created" : "replaced", user.Identity?.Name);
            return created ? TypedResults.Created($"/api/credentials/{name}", summary) : TypedResults.Ok(summary);
        }).RequirePermission(Permissions.Admin);

        credentials.MapDelete("/{name}", async Task<IResult> (string name, CredentialStore store, ClaimsPrincipal user, HttpContext http, ILogger<CredentialStore> log,
            CancellationToken cancellationToken) =>
        {
            if (!await store.DeleteAsync(name, cancellationToken, AuditLog.Note(http, AuditActions.CredentialDeleted, $"credential {Printable(name)}"))) return NotFound(name);
            log.LogInformation("Credential {Credential} deleted by {User}", name, user.Identity?.Name);
            return TypedResults.NoContent();
        }).RequirePermission(Permissions.Admin);
    }

    /// <summary>Problems keyed by JSON field. Values must be strings (numbers and booleans are taken as
    /// their text); messages never repeat a value.</summary>
    private static Dictionary<string, string[]> Check(string name, SaveCredentialRequest request, out CredentialKind kind, out Dictionary<string, string> values)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message) => (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        kind = default;

        if (!CredentialKinds.IsValidName(name))
            Add("name", $"A credential name has 1 to {CredentialKinds.MaxNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit.");
        if (!CredentialKinds.TryParse(request.Kind, out kind))
            Add("kind", $"kind is required: one of {string.Join(", ", Enum.GetValues<CredentialKind>().Select(CredentialKinds.Name))}.");
        if (request.Description is { Length: > CredentialKinds.MaxDescriptionLength })
            Add("description", $"At most {CredentialKinds.MaxDescriptionLength} characters.");
        if (request.Values is null || request.Values.Count == 0)
        {
            Add("values", "values is required: an object of the credential's fields, e.g. {\"username\": \"ops\", \"privateKey\": \"-----BEGIN ...\"}.");
        }
        else
        {
            foreach (var (field, node) in request.Values)
            {
                if (node is JsonValue value && (value.TryGetValue<string>(out var text) || TryText(value, out text)))
                    values[field] = text;
                else if (node is not null)
                    Add($"values.{(field.Length > 60 ? "(long name)" : field)}", "A field's value must be a string.");
            }

            if (errors.Count == 0 || !errors.ContainsKey("kind"))
                foreach (var problem in CredentialKinds.Check(kind, values.ToDictionary(v => v.Key, v => (string?)v.Value)))
                {
                    var colon = problem.IndexOf(": ", StringComparison.Ordinal);
                    Add(problem[..colon], problem[(colon + 2)..]);
                }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    private static bool TryText(JsonValue value, out string text)
    {
        text = value.ToJsonString();
        return value.GetValueKind() is System.Text.Json.JsonValueKind.Number or System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False;
    }

    private static IResult NotFound(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such credential", detail: $"There is no credential named '{Printable(name)}'.");

    internal static string Printable(string text) => text.Length > 100 || text.Any(char.IsControl) ? "(unprintable)" : text;
}
