using System.Security.Claims;
using WeOps.Engine.Approvals;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>People sign in with a username and password and get a session token (a bearer token that
/// expires); machines keep using API keys. Admins set passwords.</summary>
public static class SessionEndpoints
{
    public sealed record SignInRequest(string? Username, string? Password);

    public sealed record SignedIn(string Token, string Username, IReadOnlyList<string> Roles, DateTimeOffset ExpiresAt);

    public sealed record SetPasswordRequest(string? Password);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/session", async Task<IResult> (SignInRequest request, UserDirectory users, SessionTokens sessions, ILogger<SessionTokens> log,
            CancellationToken cancellationToken) =>
        {
            var username = request.Username?.Trim() ?? "";
            var password = request.Password ?? "";
            var missing = new Dictionary<string, string[]>();
            if (username.Length == 0) missing["username"] = ["username is required."];
            if (password.Length == 0) missing["password"] = ["password is required."];
            if (missing.Count > 0) return TypedResults.ValidationProblem(missing, title: "Sign in with a username and a password");
            if (username.Length > UsersEndpoints.MaxUsernameLength || password.Length > Passwords.MaxLength)
                return WrongCredentials();
            var user = await users.CredentialsOfAsync(username, cancellationToken);
            if (!Passwords.Verify(password, user?.PasswordHash) || user is null)
            {
                log.LogWarning("Sign-in refused for {Username}", CredentialsEndpoints.Printable(username));
                return WrongCredentials();
            }

            var (token, expires) = sessions.Issue(username);
            log.LogInformation("{Username} signed in", username);
            return TypedResults.Ok(new SignedIn(token, username, user.Value.Roles, expires));
        }).AllowAnonymous().WithTags("Session");

        app.MapPut("/api/users/{username}/password", async Task<IResult> (string username, SetPasswordRequest request, UserDirectory users,
            ClaimsPrincipal caller, ILogger<SessionTokens> log, CancellationToken cancellationToken) =>
        {
            var password = request.Password ?? "";
            if (password.Length < Passwords.MinLength || password.Length > Passwords.MaxLength)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["password"] = [$"A password has {Passwords.MinLength} to {Passwords.MaxLength} characters."],
                });
            if (!await users.SetPasswordHashAsync(username, Passwords.Hash(password), cancellationToken))
                return TypedResults.Problem(statusCode: 404, title: "No such user", detail: $"There is no user '{CredentialsEndpoints.Printable(username)}'.");
            log.LogInformation("Password of {Username} set by {Caller}", username, caller.Identity?.Name);
            return TypedResults.NoContent();
        }).RequirePermission(Permissions.Admin).WithTags("Users");
    }

    private static IResult WrongCredentials() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in", detail: "Wrong username or password.");
}
