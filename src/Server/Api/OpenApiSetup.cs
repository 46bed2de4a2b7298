using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using WeOps.Server.Auth;

namespace WeOps.Server.Api;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c>: every route, with the bearer scheme and
/// the permission it needs.</summary>
public static class OpenApiSetup
{
    private const string Bearer = "Bearer";

    public static WebApplicationBuilder AddWeOpsOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "WeOps API";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API key: 'Authorization: Bearer weops_...'. Keys are created with POST /api/keys.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var permission = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiredPermission>().LastOrDefault();
                if (permission is null) return Task.CompletedTask;
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] });
                operation.Description = $"Needs the permission '{permission.Permission}'."
                    + (string.IsNullOrEmpty(operation.Description) ? "" : " " + operation.Description);
                operation.Responses ??= [];
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No key, or an unknown key (problem details)." });
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = $"The key's roles do not grant '{permission.Permission}' (problem details)." });
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapWeOpsOpenApi(this WebApplication app)
    {
        // The document describes routes, not data; callers read it before they have a key.
        app.MapOpenApi().AllowAnonymous();
        return app;
    }
}
