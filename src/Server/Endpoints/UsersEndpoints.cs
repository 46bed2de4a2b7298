using WeOps.Activities.Email;
using FluentValidation;
using WeOps.Engine.Approvals;
using WeOps.Server.Api;
using WeOps.Server.Audit;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>The user directory: who approvers and task candidates are, their mail addresses and groups.</summary>
public static class UsersEndpoints
{
    public const int MaxUsernameLength = 100;

    /// <summary><see cref="Password"/> is optional: without one the user cannot sign in until an admin sets it.</summary>
    public sealed record CreateUserRequest(string? Username, string? DisplayName, string? Email, IReadOnlyList<string>? Groups, IReadOnlyList<string>? Roles,
        string? Password = null);

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
            RuleFor(r => r.Password).Must(p => p is null || p.Length is >= Passwords.MinLength and <= Passwords.MaxLength)
                .WithMessage($"A password has {Passwords.MinLength} to {Passwords.MaxLength} characters.").OverridePropertyName("password");
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

        users.MapPost("", async Task<IResult> (CreateUserRequest request, UserDirectory directory, TimeProvider clock, HttpContext http, ILogger<User> log,
            CancellationToken cancellationToken) =>
        {
            var user = NewUser(request, clock);
            var hash = request.Password is { } password ? Passwords.Hash(password) : null;
            if (!await directory.CreateAsync(user, cancellationToken, AuditLog.Note(http, AuditActions.UserCreated, Describe(user)), hash))
                return TypedResults.Problem(statusCode: 409, title: "The user exists", detail: $"There is already a user '{user.Username}'; change it with PUT /api/users/{user.Username}.");
            log.LogInformation("User {Username} created by {Caller}", user.Username, http.User.Identity?.Name);
            return TypedResults.Created($"/api/users/{user.Username}", await directory.GetAsync(user.Username, cancellationToken));
        }).Validates(new CreateUserRequestValidator());

        users.MapPut("/{username}", async Task<IResult> (string username, UpdateUserRequest request, UserDirectory directory, TimeProvider clock,
            HttpContext http, ILogger<User> log, CancellationToken cancellationToken) =>
        {
            var now = clock.GetUtcNow();
            var user = new User(username, Blank(request.DisplayName), Blank(request.Email), Distinct(request.Groups), Distinct(request.Roles), now, now);
            if (IsSelf(http, username) && !user.Roles.Contains(Auth.Roles.Admin) && (await directory.GetAsync(username, cancellationToken))?.Roles.Contains(Auth.Roles.Admin) == true)
                return SelfLockout("take the admin role from yourself");
            if (!await directory.UpdateAsync(user, cancellationToken, AuditLog.Note(http, AuditActions.UserChanged, Describe(user)))) return NotFound(username);
            log.LogInformation("User {Username} changed by {Caller}", username, http.User.Identity?.Name);
            return TypedResults.Ok(await directory.GetAsync(username, cancellationToken));
        }).Validates(new UpdateUserRequestValidator());

        users.MapDelete("/{username}", async Task<IResult> (string username, UserDirectory directory, HttpContext http, ILogger<User> log,
            CancellationToken cancellationToken) =>
        {
            if (IsSelf(http, username)) return SelfLockout("delete yourself");
            if (!await directory.DeleteAsync(username, cancellationToken, AuditLog.Note(http, AuditActions.UserDeleted, $"user {Printable(username)}"))) return NotFound(username);
            log.LogInformation("User {Username} deleted by {Caller}", username, http.User.Identity?.Name);
            return TypedResults.NoContent();
        });

        users.MapPost("/{username}/disable", (string username, UserDirectory directory, HttpContext http, CancellationToken cancellationToken) =>
            SetDisabledAsync(username, true, directory, http, cancellationToken));
        users.MapPost("/{username}/enable", (string username, UserDirectory directory, HttpContext http, CancellationToken cancellationToken) =>
            SetDisabledAsync(username, false, directory, http, cancellationToken));

        var groups = app.MapGroup("/api/groups").RequirePermission(Permissions.Admin).WithTags("Users");
        groups.MapGet("", async (UserDirectory directory, CancellationToken cancellationToken) => TypedResults.Ok(await directory.GroupsAsync(cancellationToken)));
        groups.MapPut("/{group}/members/{username}", (string group, string username, UserDirectory directory, HttpContext http, CancellationToken cancellationToken) =>
            SetMemberAsync(group, username, true, directory, http, cancellationToken));
        groups.MapDelete("/{group}/members/{username}", (string group, string username, UserDirectory directory, HttpContext http, CancellationToken cancellationToken) =>
            SetMemberAsync(group, username, false, directory, http, cancellationToken));
    }

    /// <summary>The user a create request describes, its texts trimmed and its lists without repeats.</summary>
    public static User NewUser(CreateUserRequest request, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return new User(request.Username!.Trim(), Blank(request.DisplayName), Blank(request.Email), Distinct(request.Groups), Distinct(request.Roles), now, now);
    }

    public static string Describe(User user) =>
        $"user {user.Username}: roles {string.Join(",", user.Roles)}; groups {string.Join(",", user.Groups)}; email {user.Email ?? "-"}";

    private static async Task<IResult> SetDisabledAsync(string username, bool disabled, UserDirectory directory, HttpContext http, CancellationToken cancellationToken)
    {
        if (disabled && IsSelf(http, username)) return SelfLockout("disable yourself");
        var note = AuditLog.Note(http, disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, $"user {Printable(username)}");
        if (!await directory.SetDisabledAsync(username, disabled, cancellationToken, note)) return NotFound(username);
        return TypedResults.Ok(await directory.GetAsync(username, cancellationToken));
    }

    private static async Task<IResult> SetMemberAsync(string group, string username, bool member, UserDirectory directory, HttpContext http, CancellationToken cancellationToken)
    {
        if (!BeAName(group))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["group"] = [$"A group name has 1 to {MaxUsernameLength} characters without commas, spaces, colons or control characters."],
            });
        if (member && (await directory.GetAsync(username, cancellationToken))?.Groups.Count >= 50)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["group"] = ["A user can be in at most 50 groups."] });
        var note = AuditLog.Note(http, member ? AuditActions.GroupMemberAdded : AuditActions.GroupMemberRemoved, $"group {group}: user {Printable(username)}");
        if (!await directory.SetMemberAsync(group, username, member, cancellationToken, note)) return NotFound(username);
        return TypedResults.Ok(await directory.GetAsync(username, cancellationToken));
    }

    private static bool IsSelf(HttpContext http, string username) => string.Equals(http.User.Identity?.Name, username, StringComparison.Ordinal);

    private static IResult SelfLockout(string what) =>
        TypedResults.Problem(statusCode: 409, title: "Not on yourself", detail: $"You cannot {what}: ask another admin, so that someone can still administer WeOps.");

    private static string Printable(string text) => CredentialsEndpoints.Printable(text);

    private static bool BeAName(string? name) =>
        name is { Length: > 0 and <= MaxUsernameLength } && !name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is ',' or ':');

    private static bool BeAnAddress(string? email) =>
        string.IsNullOrWhiteSpace(email) || email.Length <= 320 && MailAddresses.Parse(email) is { } a && a.Address == email.Trim();

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static List<string> Distinct(IReadOnlyList<string>? items) => items?.Distinct(StringComparer.Ordinal).ToList() ?? [];

    private static IResult NotFound(string username) =>
        TypedResults.Problem(statusCode: 404, title: "No such user", detail: $"There is no user '{CredentialsEndpoints.Printable(username)}'.");
}
