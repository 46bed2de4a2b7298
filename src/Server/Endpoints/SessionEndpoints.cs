using System.Security.Claims;
using WeOps.Engine.Approvals;
using WeOps.Server.Audit;
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
        app.MapPost("/api/session", async Task<IResult> (SignInRequest request, HttpContext http, UserDirectory users, SessionTokens sessions,
            SignInThrottle throttle, ILogger<SessionTokens> log, CancellationToken cancellationToken) =>
        {
            var username = request.Username?.Trim() ?? "";
            var password = request.Password ?? "";
            var missing = new Dictionary<string, string[]>();
            if (username.Length == 0) missing["username"] = ["username is required."];
            if (password.Length == 0) missing["password"] = ["password is required."];
            if (missing.Count > 0) return TypedResults.ValidationProblem(missing, title: "Sign in with a username and a password");
            var address = http.Connection.RemoteIpAddress;
            if (await throttle.WaitAsync(username, address, cancellationToken) is { } wait)
            {
                log.LogWarning("Sign-in of {Username} from {Address} refused unchecked: locked out", CredentialsEndpoints.Printable(username), SignInThrottle.Text(address));
                return TooManyFailures(http, wait);
            }

            var tooLong = username.Length > UsersEndpoints.MaxUsernameLength || password.Length > Passwords.MaxLength;
            var user = tooLong ? null : await users.CredentialsOfAsync(username, cancellationToken);
            // An unknown user costs a hash too: the answer's time does not tell which names exist.
            if (tooLong || !Passwords.Verify(password, user?.PasswordHash) || user is null)
            {
                log.LogWarning("Sign-in refused for {Username}", CredentialsEndpoints.Printable(username));
                if (await throttle.FailedAsync(username, address, cancellationToken) is { } lockout)
                    log.LogWarning("Sign-ins of {Username} or from {Address} locked out for {Seconds} s", CredentialsEndpoints.Printable(username), SignInThrottle.Text(address), SignInThrottle.Seconds(lockout));
                return WrongCredentials();
            }

            await throttle.SucceededAsync(username, address, cancellationToken);
            var (token, expires) = sessions.Issue(username);
            log.LogInformation("{Username} signed in", username);
            return TypedResults.Ok(new SignedIn(token, username, user.Value.Roles, expires));
        }).AllowAnonymous().WithTags("Session");

        app.MapPut("/api/users/{username}/password", async Task<IResult> (string username, SetPasswordRequest request, UserDirectory users,
            ClaimsPrincipal caller, HttpContext http, ILogger<SessionTokens> log, CancellationToken cancellationToken) =>
        {
            var password = request.Password ?? "";
            if (password.Length < Passwords.MinLength || password.Length > Passwords.MaxLength)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["password"] = [$"A password has {Passwords.MinLength} to {Passwords.MaxLength} characters."],
                });
            if (!await users.SetPasswordHashAsync(username, Passwords.Hash(password), cancellationToken,
                    AuditLog.Note(http, AuditActions.UserPasswordSet, $"user {CredentialsEndpoints.Printable(username)}")))
                return TypedResults.Problem(statusCode: 404, title: "No such user", detail: $"There is no user '{CredentialsEndpoints.Printable(username)}'.");
            log.LogInformation("Password of {Username} set by {Caller}", username, caller.Identity?.Name);
            return TypedResults.NoContent();
        }).RequirePermission(Permissions.Admin).WithTags("Users");
    }

    private static IResult TooManyFailures(HttpContext http, TimeSpan wait)
    {
        var seconds = SignInThrottle.Seconds(wait);
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins",
            detail: $"Too many wrong passwords in a row for this user or from this address; no password is checked for {seconds} s more (Retry-After).");
    }

    private static IResult WrongCredentials() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in", detail: "Wrong username or password.");
}
