using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WeOps.Server.Auth;

/// <summary>API keys, roles and permissions (ADR 0005).</summary>
public static class AuthSetup
{
    public static WebApplicationBuilder AddWeOpsAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .Validate(o => !o.HasAdminKey || o.AdminApiKey!.Length >= AuthOptions.MinAdminKeyLength,
                $"Auth:AdminApiKey (Auth__AdminApiKey) must have at least {AuthOptions.MinAdminKeyLength} characters; "
                + "generate one with: openssl rand -base64 32")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IApiKeyStore, InMemoryApiKeyStore>();
        services.AddSingleton<SessionTokens>();
        services.AddHostedService<ApiKeyStartupCheck>();

        // Authentication core only: API keys and session tokens are bearer tokens, no cookies.
        services.AddWebEncoders();
        services.AddAuthenticationCore(options =>
        {
            options.DefaultScheme = ApiKeyAuthenticationHandler.SchemeName;
            options.AddScheme<ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
            options.AddScheme<Alerts.AlertSourceSecretHandler>(Alerts.AlertSourceSecretHandler.SchemeName, null);
        });
        services.AddSingleton<Alerts.AlertSourceSecrets>();
        // The request log already has one line per refused request.
        builder.Logging.AddFilter(typeof(ApiKeyAuthenticationHandler).FullName, LogLevel.Warning);
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationProblems>();
        services.AddAuthorizationBuilder()
            // A route that names no permission and is not marked anonymous still needs a valid key.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPermissionPolicies();
        return builder;
    }

    public static WebApplication UseWeOpsAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    private static AuthorizationBuilder AddPermissionPolicies(this AuthorizationBuilder authorization)
    {
        foreach (var permission in Permissions.All)
        {
            authorization.AddPolicy(permission, policy =>
            {
                // Alert sources may authenticate by the secret in their webhook URL instead of a key.
                if (permission == Permissions.AlertsIngest)
                    policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, Alerts.AlertSourceSecretHandler.SchemeName);
                policy.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(permission));
            });
        }

        return authorization;
    }
}
