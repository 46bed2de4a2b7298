using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace WeOps.Server.Auth;

/// <summary>Reads <c>Authorization: Bearer &lt;key&gt;</c>: the configured admin key, else a stored key.
/// A refused or missing key is challenged with a 401 problem and <c>WWW-Authenticate: Bearer</c>.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<AuthOptions> auth,
    IApiKeyStore store,
    SessionTokens sessions,
    WeOps.Engine.Approvals.UserDirectory users,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "weops:key_id";
    private const string AdminPrincipalName = "admin";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("The Authorization header is not 'Bearer <key>'.");
        var presented = header["Bearer ".Length..].Trim();
        if (presented.StartsWith(SessionTokens.Prefix, StringComparison.Ordinal))
            return await SessionAsync(presented);
        if (presented.Length == 0 || presented.Length > ApiKeySecret.MaxLength)
            return AuthenticateResult.Fail("The bearer key is empty or too long.");

        var principal = MatchesAdminKey(presented)
            ? new ApiKeyPrincipal(AdminPrincipalName, [Roles.Admin], null)
            : presented.StartsWith(ApiKeySecret.Prefix, StringComparison.Ordinal)
                ? await store.FindAsync(presented, Context.RequestAborted)
                : null;
        if (principal is null) return AuthenticateResult.Fail("Unknown API key.");

        List<Claim> claims = [new(ClaimTypes.Name, principal.Name), .. principal.Roles.Select(r => new Claim(ClaimTypes.Role, r))];
        if (principal.KeyId is { } id) claims.Add(new Claim(KeyIdClaim, id.ToString()));
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>A person signed in with a password: the token names the user, the directory gives the roles now.</summary>
    private async Task<AuthenticateResult> SessionAsync(string token)
    {
        if (sessions.Read(token) is not { } username)
            return AuthenticateResult.Fail("The session has expired or is not valid; sign in again.");
        if (await users.CredentialsOfAsync(username, Context.RequestAborted) is not { } user)
            return AuthenticateResult.Fail("The session's user no longer exists.");
        List<Claim> claims = [new(ClaimTypes.Name, username), .. user.Roles.Where(Roles.IsKnown).Select(r => new Claim(ClaimTypes.Role, r))];
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private bool MatchesAdminKey(string presented)
    {
        var configured = auth.CurrentValue.AdminApiKey;
        // Hashing both sides first makes the comparison constant-time whatever the lengths.
        return !string.IsNullOrEmpty(configured)
            && ApiKeySecret.HashesEqual(ApiKeySecret.Hash(configured), ApiKeySecret.Hash(presented));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var refused = result.Failure is not null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // RFC 6750: a presented but refused token is "invalid_token"; a missing one gets the bare scheme.
        Response.Headers.WWWAuthenticate = refused ? "Bearer error=\"invalid_token\"" : "Bearer";
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = refused ? "Invalid API key" : "Authentication required",
                Detail = refused
                    ? $"{result.Failure!.Message} Send a valid key as 'Authorization: Bearer <key>'."
                    : "Send an API key as 'Authorization: Bearer <key>'.",
            },
        });
    }
}
