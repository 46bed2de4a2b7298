using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using WeOps.Server.Auth;

namespace WeOps.Server.Alerts;

/// <summary>Per-source secrets from <c>Alerts:Sources:{source}:Secret</c>, for tools that cannot send an
/// Authorization header (a Zabbix or Grafana webhook URL): <c>POST /api/alerts/zabbix?secret=...</c>.</summary>
public sealed class AlertSourceSecrets
{
    public const int MinLength = 24;
    public static readonly IReadOnlyList<string> Sources = ["alertmanager", "grafana", "zabbix", "generic"];

    private readonly Dictionary<string, byte[]> hashes = new(StringComparer.Ordinal);

    public AlertSourceSecrets(IConfiguration configuration)
    {
        foreach (var source in Sources)
        {
            var secret = configuration[$"Alerts:Sources:{source}:Secret"];
            if (string.IsNullOrEmpty(secret)) continue;
            if (secret.Length < MinLength)
            {
                throw new InvalidOperationException($"Alerts:Sources:{source}:Secret has {secret.Length} characters; it needs at least {MinLength}. " +
                    "Generate one with: openssl rand -hex 24");
            }

            hashes[source] = ApiKeySecret.Hash(secret);
        }
    }

    /// <summary>Compares hashes, so the time taken says nothing about the secret, whatever the lengths.</summary>
    public bool Matches(string source, string presented) =>
        hashes.TryGetValue(source, out var expected) && ApiKeySecret.HashesEqual(expected, ApiKeySecret.Hash(presented));
}

/// <summary>Authenticates an alert intake request by its source's URL secret as the role
/// <see cref="Roles.AlertSource"/>. Challenges nothing itself: the API key scheme answers 401.</summary>
public sealed class AlertSourceSecretHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AlertSourceSecrets secrets)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AlertSourceSecret";
    private const string Prefix = "/api/alerts/";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var path = (Request.Path.Value ?? "").TrimEnd('/');
        string? presented = Request.Query["secret"];
        // The generic shape is posted to /api/alerts itself.
        var source = path == "/api/alerts" ? "generic" : path.StartsWith(Prefix, StringComparison.Ordinal) ? path[Prefix.Length..] : null;
        if (string.IsNullOrEmpty(presented) || presented.Length > 512 || source is null)
            return Task.FromResult(AuthenticateResult.NoResult());
        if (!secrets.Matches(source, presented)) return Task.FromResult(AuthenticateResult.Fail("The secret in the URL is not this source's secret."));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"alert source {source}"), new Claim(ClaimTypes.Role, Roles.AlertSource)],
            SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Task.CompletedTask;

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Task.CompletedTask;
}
