using System.Net.Mail;
using System.Security.Claims;
using FluentValidation;
using WeOps.Engine.Approvals;
using WeOps.Server.Api;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>The user directory: who approvers and task candidates are, their mail addresses and groups.</summary>
public static class UsersEndpoints
{
    public const int MaxUsernameLength = 100;

    public sealed record CreateUserRequest(string? Username, string? DisplayName, string? Email, IReadOnlyList<string>? Groups, IReadOnlyList<string>? Roles);

    public sealed record UpdateUserRequest(string? DisplayName, string? Email, IReadOnlyList<string>? Groups, IReadOnlyList<string>? Roles);

    /// <summary>The fields both requests share, checked the same way.</summary>
    private static void UserFields<T>(AbstractValidator<T> v, Func<T, string?> displayName, Func<T, string?> email, Func<T, IReadOnlyList<string>?> groups,
        Func<T, IReadOnlyList<string>?> roles)
    {
        v.RuleFor(r => displayName(r)).MaximumLength(200).WithMessage("displayName may have at most 200 characters.")
            .Must(n => n is null || !n.Any(char.IsControl)).WithMessage("displayName must not contain control characters.").OverridePropertyName("displayName");
        v.RuleFor(r => email(r)).Must(BeAnAddress).WithMessage("email is not a mail address such as alice@example.com (at most 320 characters).")
            .OverridePropertyName("email");
        v.RuleFor(r => groups(r)).Must(g => g is null || g.Count <= 50).WithMessage("groups may list at most 50 groups.")
            .Must(g => g is null || g.All(BeAName)).WithMessage("Each group is a name of 1 to 100 characters without commas, spaces or control characters.")
            .OverridePropertyName("groups");
        v.RuleFor(r => roles(r)).Must(rs => rs is null || rs.All(Auth.Roles.IsKnown))
            .WithMessage($"roles may only hold {string.Join(", ", Auth.Roles.All)}.").OverridePropertyName("roles");
    }

    public sealed class CreateUserRequestValidator : AbstractValidator<CreateUserRequest>
    {
        public CreateUserRequestValidator()
        {
            RuleFor(r => r.Username).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("username is required.")
                .Must(BeAName).WithMessage($"username must be 1 to {MaxUsernameLength} characters without commas, spaces, colons or control characters.");
            UserFields(this, r => r.DisplayName, r => r.Email, r => r.Groups, r => r.Roles);
        }
    }

    public sealed class UpdateUserRequestValidator : AbstractValidator<UpdateUserRequest>
    {
        public UpdateUserRequestValidator() => UserFields(this, r => r.DisplayName, r => r.Email, r => r.Groups, r => r.Roles);
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").RequirePermission(Permissions.Admin).WithTags("Users");

        users.MapGet("", async (UserDirectory directory, CancellationToken cancellationToken) => TypedResults.Ok(await directory.ListAsync(cancellationToken)));

        users.MapGet("/{username}", async Task<IResult> (string username, UserDirectory directory, CancellationToken cancellationToken) =>
            await directory.GetAsync(username, cancellationToken) is { } user ? TypedResults.Ok(user) : NotFound(username));

        users.MapPost("", async Task<IResult> (CreateUserRequest request, UserDirectory directory, TimeProvider clock, ClaimsPrincipal caller, ILogger<User> log,
            CancellationToken cancellationToken) =>
        {
            var now = clock.GetUtcNow();
            var user = new User(request.Username!.Trim(), Blank(request.DisplayName), Blank(request.Email), Distinct(request.Groups), Distinct(request.Roles), now, now);
            if (!await directory.CreateAsync(user, cancellationToken))
                return TypedResults.Problem(statusCode: 409, title: "The user exists", detail: $"There is already a user '{user.Username}'; change it with PUT /api/users/{user.Username}.");
            log.LogInformation("User {Username} created by {Caller}", user.Username, caller.Identity?.Name);
            return TypedResults.Created($"/api/users/{user.Username}", await directory.GetAsync(user.Username, cancellationToken));
        }).Validates(new CreateUserRequestValidator());

        users.MapPut("/{username}", async Task<IResult> (string username, UpdateUserRequest request, UserDirectory directory, TimeProvider clock,
            ClaimsPrincipal caller, ILogger<User> log, CancellationToken cancellationToken) =>
        {
            var now = clock.GetUtcNow();
            var user = new User(username, Blank(request.DisplayName), Blank(request.Email), Distinct(request.Groups), Distinct(request.Roles), now, now);
            if (!await directory.UpdateAsync(user, cancellationToken)) return NotFound(username);
            log.LogInformation("User {Username} changed by {Caller}", username, caller.Identity?.Name);
            return TypedResults.Ok(await directory.GetAsync(username, cancellationToken));
        }).Validates(new UpdateUserRequestValidator());

        users.MapDelete("/{username}", async Task<IResult> (string username, UserDirectory directory, ClaimsPrincipal caller, ILogger<User> log,
            CancellationToken cancellationToken) =>
        {
            if (!await directory.DeleteAsync(username, cancellationToken)) return NotFound(username);
            log.LogInformation("User {Username} deleted by {Caller}", username, caller.Identity?.Name);
            return TypedResults.NoContent();
        });
    }

    private static bool BeAName(string? name) =>
        name is { Length: > 0 and <= MaxUsernameLength } && !name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is ',' or ':');

    private static bool BeAnAddress(string? email) =>
        string.IsNullOrWhiteSpace(email) || email.Length <= 320 && MailAddress.TryCreate(email.Trim(), out var a) && a.Address == email.Trim();

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static List<string> Distinct(IReadOnlyList<string>? items) => items?.Distinct(StringComparer.Ordinal).ToList() ?? [];

    private static IResult NotFound(string username) =>
        TypedResults.Problem(statusCode: 404, title: "No such user", detail: $"There is no user '{CredentialsEndpoints.Printable(username)}'.");
}
