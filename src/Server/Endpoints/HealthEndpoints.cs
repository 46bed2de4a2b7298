using WeOps.Server.Health;

namespace WeOps.Server.Endpoints;

/// <summary>Probes for load balancers and orchestrators; anonymous, they tell nothing about the data.</summary>
public static class HealthEndpoints
{
    public sealed record HealthResponse(string Status, string Version);

    public sealed record LiveResponse(string Status);

    public sealed record ReadyResponse(string Status, IReadOnlyList<Readiness.CheckOutcome> Checks);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => new HealthResponse("ok", typeof(HealthEndpoints).Assembly.GetName().Version?.ToString() ?? "0"))
            .AllowAnonymous();

        // The process answers: restart it if this fails.
        app.MapGet("/health/live", () => new LiveResponse("ok")).AllowAnonymous();

        // Every readiness check passes: send it work. 503 names each failing check and why.
        app.MapGet("/health/ready", async Task<IResult> (IEnumerable<IReadinessCheck> checks, ILogger<Readiness> log, CancellationToken cancellationToken) =>
        {
            var outcomes = await new Readiness(checks, log).RunAsync(cancellationToken);
            var failing = outcomes.Where(o => !o.Ready).ToList();
            if (failing.Count == 0) return TypedResults.Ok(new ReadyResponse("ready", outcomes));
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Not ready",
                detail: string.Join("; ", failing.Select(o => $"{o.Name}: {o.Message ?? "not ready"}")),
                extensions: new Dictionary<string, object?> { ["checks"] = outcomes });
        })
            .AllowAnonymous()
            .Produces<ReadyResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }
}
