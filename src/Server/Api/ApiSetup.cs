using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace WeOps.Server.Api;

/// <summary>What every API response has in common: errors as RFC 9457 problem details, JSON bodies of
/// at most <see cref="RequestLimits.MaxJsonBodyBytes"/>, bad requests that name their cause.</summary>
public static class ApiSetup
{
    public static WebApplicationBuilder AddWeOpsApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = FillDetail);
        // Binding failures throw, so BadRequestProblems can say what was wrong (e.g. where the JSON breaks)
        // instead of the framework's empty 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestProblems>();
        return builder;
    }

    /// <summary>Applies the JSON body limit to endpoints that read JSON; after routing and authentication.</summary>
    public static IApplicationBuilder UseJsonBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (ReadsJson(context.GetEndpoint()))
        {
            if (context.Request.ContentLength > RequestLimits.MaxJsonBodyBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = StatusCodes.Status413PayloadTooLarge, Detail = JsonTooLarge },
                });
                return;
            }

            // A chunked body has no length up front: the server stops reading past the limit.
            var size = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (size is { IsReadOnly: false }) size.MaxRequestBodySize = RequestLimits.MaxJsonBodyBytes;
        }

        await next(context);
    });

    private static readonly string JsonTooLarge =
        $"A JSON request body may have at most {RequestLimits.MaxJsonBodyBytes:N0} bytes (1 MB).";

    private static bool ReadsJson(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes
            .Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)) == true;

    /// <summary>Status-code-only answers (415 from routing, 413 from a JSON read) get a detail that says what to do.</summary>
    private static void FillDetail(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null) return;
        var request = context.HttpContext.Request;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status413PayloadTooLarge when ReadsJson(context.HttpContext.GetEndpoint()) => JsonTooLarge,
            StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType(request.ContentType),
            StatusCodes.Status404NotFound => $"There is no resource at {request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}.",
            _ => null,
        };
    }

    internal static string UnsupportedMediaType(string? contentType) =>
        $"The body's content type is {(string.IsNullOrEmpty(contentType) ? "missing" : $"'{contentType}'")}; send it as application/json.";
}
