namespace WeOps.Server.Endpoints;

public static class HealthEndpoints
{
    public sealed record HealthResponse(string Status, string Version);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/health", () => new HealthResponse("ok", typeof(HealthEndpoints).Assembly.GetName().Version?.ToString() ?? "0"));
}
