using Microsoft.AspNetCore.Authentication;
using WeOps.Engine.Approvals;
using WeOps.Server.Api;
using WeOps.Server.Audit;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>The first run: while nobody is in the user directory the sign-in page offers to create the first admin.
/// That is allowed without signing in only while the directory is empty; later only an admin can create users.</summary>
public static class SetupEndpoints
{
    public sealed record SetupState(bool FirstRun);

    public sealed record FirstAdminRequest(string? Username, string? Password, string? DisplayName, string? Email);

    public static void Map(IEndpointRouteBuilder app)
    {
        var setup = app.MapGroup("/api/setup").WithTags("Setup");

        setup.MapGet("", async (UserDirectory users, CancellationToken cancellationToken) => TypedResults.Ok(new SetupState(!await users.AnyAsync(cancellationToken))))
            .AllowAnonymous();

        setup.MapPost("/first-admin", async Task<IResult> (FirstAdminRequest request, UserDirectory users, TimeProvider clock, HttpContext http,
            ILogger<SetupState> log, CancellationToken cancellationToken) =>
        {
            var create = new UsersEndpoints.CreateUserRequest(request.Username, request.DisplayName, request.Email, [], [Roles.Admin], request.Password ?? "");
            var problems = new UsersEndpoints.CreateUserRequestValidator().Validate(create);
            if (!problems.IsValid)
                return TypedResults.ValidationProblem(problems.Errors.GroupBy(e => char.ToLowerInvariant(e.PropertyName[0]) + e.PropertyName[1..])
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()), title: "The first admin is not valid");
            var user = UsersEndpoints.NewUser(create, clock);
            // The route lets anyone in; an admin key or session, when sent, is read here.
            var caller = await http.AuthenticateAsync() is { Succeeded: true } auth ? auth.Principal! : http.User;
            var isAdmin = caller.FindAll(System.Security.Claims.ClaimTypes.Role)
                .Any(r => Permissions.ByRole.TryGetValue(r.Value, out var granted) && granted.Contains(Permissions.Admin));
            var note = new global::WeOps.Engine.Persistence.AuditNote(AuditActions.FirstAdminCreated, caller.Identity?.Name ?? user.Username, UsersEndpoints.Describe(user),
                http.Connection.RemoteIpAddress?.ToString());
            if (!await users.CreateAsync(user, cancellationToken, note, Passwords.Hash(request.Password!), onlyIfEmpty: !isAdmin))
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "WeOps is already set up",
                    detail: isAdmin ? $"There is already a user '{user.Username}'." : "Users exist already: an admin creates further users in the admin console.");
            log.LogInformation("First admin {Username} created", user.Username);
            return TypedResults.Created($"/api/users/{user.Username}", await users.GetAsync(user.Username, cancellationToken));
        }).AllowAnonymous();
    }
}
