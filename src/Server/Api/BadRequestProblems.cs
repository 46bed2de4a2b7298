using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace WeOps.Server.Api;

/// <summary>A request the server cannot bind (bad JSON, wrong content type, a body over the transport
/// limit) becomes a 4xx problem naming the cause. Anything else is left to the 500 problem, which
/// never carries the exception: the stack trace goes to the log only.</summary>
public sealed class BadRequestProblems(IProblemDetailsService problems, ILogger<BadRequestProblems> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        log.LogInformation("Bad request {Method} {Path}: {Message}", context.Request.Method, context.Request.Path.Value, bad.Message);
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Detail = Detail(context.Request, bad) },
        });
    }

    private static string Detail(HttpRequest request, BadHttpRequestException bad) => bad switch
    {
        { InnerException: JsonException json } => InvalidJson(json),
        { StatusCode: StatusCodes.Status415UnsupportedMediaType } => ApiSetup.UnsupportedMediaType(request.ContentType),
        { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            $"The body is larger than the server accepts: at most {RequestLimits.MaxBodyBytes:N0} bytes.",
        _ when bad.Message.Contains("not provided from body", StringComparison.Ordinal)
            || bad.Message.Contains("no body was provided", StringComparison.Ordinal) =>
            "The request body is empty or null; send a JSON object.",
        _ => bad.Message,
    };

    /// <summary>Where the JSON breaks, 1-based, and why, without the .NET type names of the reader's message.</summary>
    private static string InvalidJson(JsonException json)
    {
        var reason = json.Message;
        var cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut >= 0) reason = reason[..cut];
        if (reason.StartsWith("The JSON value could not be converted to", StringComparison.Ordinal))
            reason = "A value has the wrong type.";
        var where = json.LineNumber is { } line
            ? $" at line {line + 1}, byte {json.BytePositionInLine + 1}{(string.IsNullOrEmpty(json.Path) ? "" : $" (path {json.Path})")}"
            : "";
        return $"The body is not valid JSON{where}: {reason}";
    }
}
