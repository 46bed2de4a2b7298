using System.Security.Claims;
using FluentValidation;
using WeOps.Engine.Approvals;
using WeOps.Server.Api;
using WeOps.Server.Audit;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>API keys for machines and people: created by an admin, shown once, stored as a hash.</summary>
public static class ApiKeysEndpoints
{
    /// <summary><see cref="User"/>: the username the key belongs to (the caller acts as that user).</summary>
    public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Roles, string? User = null);

    /// <summary>The only answer that carries the key; it cannot be read again.</summary>
    public sealed record CreatedApiKey(Guid Id, string Name, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, string Key, string? User);

    public sealed class CreateApiKeyRequestValidator : AbstractValidator<CreateApiKeyRequest>
    {
        public const int MaxNameLength = 100;
        private const int MaxRoles = 16;

        public CreateApiKeyRequestValidator()
        {
            RuleFor(r => r.Name)
                .Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("A name is required (not blank): who or what uses the key.")
                .MaximumLength(MaxNameLength).WithMessage($"The name may have at most {MaxNameLength} characters.")
                // Names go to the logs: no line breaks or other control characters that could forge a line.
                .Must(n => !n!.Any(char.IsControl)).WithMessage("The name must not contain control characters.");
            RuleFor(r => r.Roles)
                .Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage($"At least one role is required: {string.Join(", ", Auth.Roles.All)}.")
                .Must(r => r!.Count <= MaxRoles).WithMessage($"At most {MaxRoles} roles may be listed.");
            RuleForEach(r => r.Roles)
                .Must(Auth.Roles.IsKnown)
                .WithMessage((_, role) => $"'{role}' is not a role; the roles are {string.Join(", ", Auth.Roles.All)}.")
                .When(r => r.Roles is { Count: <= MaxRoles });
        }
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/keys").RequirePermission(Permissions.Admin).WithTags("API keys");

        keys.MapPost("", async Task<IResult> (CreateApiKeyRequest request, IApiKeyStore store, UserDirectory users, TimeProvider clock, ClaimsPrincipal user,
            HttpContext http, ILogger<ApiKey> log, CancellationToken cancellationToken) =>
        {
            var owner = string.IsNullOrWhiteSpace(request.User) ? null : request.User.Trim();
            if (owner is not null && (owner.Length > UsersEndpoints.MaxUsernameLength || await users.GetAsync(owner, cancellationToken) is null))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user"] = [$"There is no user '{CredentialsEndpoints.Printable(owner)}'; create it first (POST /api/users)."] });
            var secret = ApiKeySecret.Generate();
            var key = new ApiKey(Guid.NewGuid(), request.Name!.Trim(), request.Roles!.Distinct().ToList(), clock.GetUtcNow()) { User = owner };
            await store.AddAsync(key, ApiKeySecret.Hash(secret), cancellationToken,
                AuditLog.Note(http, AuditActions.ApiKeyCreated, $"key {key.Id} '{key.Name}': roles {string.Join(",", key.Roles)}; owner {key.User ?? "-"}"));
            log.LogInformation("API key {KeyId} '{KeyName}' with roles {Roles} created by {User}", key.Id, key.Name, key.Roles, user.Identity?.Name);
            return TypedResults.Created($"/api/keys/{key.Id}", new CreatedApiKey(key.Id, key.Name, key.Roles, key.CreatedAt, secret, key.User));
        }).Validates(new CreateApiKeyRequestValidator());

        keys.MapGet("", async (IApiKeyStore store, CancellationToken cancellationToken) => TypedResults.Ok(await store.ListAsync(cancellationToken)));

        keys.MapGet("/{id:guid}", async Task<IResult> (Guid id, IApiKeyStore store, CancellationToken cancellationToken) =>
            await store.GetAsync(id, cancellationToken) is { } key ? TypedResults.Ok(key) : NotFound(id))
            .Produces<ApiKey>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        keys.MapDelete("/{id:guid}", async Task<IResult> (Guid id, IApiKeyStore store, ClaimsPrincipal user, HttpContext http, ILogger<ApiKey> log,
            CancellationToken cancellationToken) =>
        {
            var name = (await store.GetAsync(id, cancellationToken))?.Name;
            if (name is null || !await store.DeleteAsync(id, cancellationToken, AuditLog.Note(http, AuditActions.ApiKeyRevoked, $"key {id} '{name}'"))) return NotFound(id);
            log.LogInformation("API key {KeyId} deleted by {User}", id, user.Identity?.Name);
            return TypedResults.NoContent();
        })
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such API key", detail: $"There is no API key with id {id}.");
}
