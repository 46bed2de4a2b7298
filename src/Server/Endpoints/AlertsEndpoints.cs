using System.Security.Claims;
using WeOps.Engine.Alerts;
using WeOps.Engine.Persistence;
using WeOps.Server.Alerts;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>Alert intake (Alertmanager, Grafana, Zabbix, generic), the alert log, and the storm breakers.</summary>
public static class AlertsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // Fails at startup, naming the key, when a configured source secret is too short.
        app.ServiceProvider.GetRequiredService<AlertSourceSecrets>();

        app.MapPost("/api/alerts/alertmanager", (AlertGroupPayload payload, DurableEngine engine, TimeProvider time, CancellationToken cancellationToken) =>
                ReceiveAsync(new AlertPayloads(time).FromGroup("alertmanager", payload), engine, cancellationToken))
            .WithTags("Alerts").RequirePermission(Permissions.AlertsIngest);

        app.MapPost("/api/alerts/grafana", (AlertGroupPayload payload, DurableEngine engine, TimeProvider time, CancellationToken cancellationToken) =>
                ReceiveAsync(new AlertPayloads(time).FromGroup("grafana", payload), engine, cancellationToken))
            .WithTags("Alerts").RequirePermission(Permissions.AlertsIngest);

        app.MapPost("/api/alerts/zabbix", (ZabbixPayload payload, DurableEngine engine, TimeProvider time, CancellationToken cancellationToken) =>
                ReceiveAsync(new AlertPayloads(time).FromZabbix(payload), engine, cancellationToken))
            .WithTags("Alerts").RequirePermission(Permissions.AlertsIngest);

        app.MapPost("/api/alerts", (GenericAlertPayload payload, DurableEngine engine, TimeProvider time, CancellationToken cancellationToken) =>
                ReceiveAsync(new AlertPayloads(time).FromGeneric(payload), engine, cancellationToken))
            .WithTags("Alerts").RequirePermission(Permissions.AlertsIngest);

        app.MapGet("/api/alerts", async (string? processKey, string? fingerprint, string? outcome, string? source, string? status, long? before, int? limit,
                DurableEngine engine, CancellationToken cancellationToken) =>
            {
                if (limit is < 1 or > AlertLog.MaxLimit)
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit must be between 1 and {AlertLog.MaxLimit}."] });
                var filter = new AlertLogFilter(processKey, fingerprint, outcome, source, status, before, limit ?? 100);
                return Results.Ok(await engine.AlertLog.ListAsync(filter, cancellationToken));
            })
            .WithTags("Alerts").RequirePermission(Permissions.InstancesRead);

        app.MapGet("/api/alerts/breakers", async (DurableEngine engine, CancellationToken cancellationToken) =>
                TypedResults.Ok(await engine.AlertBreakers.ListAsync(cancellationToken)))
            .WithTags("Alerts").RequirePermission(Permissions.InstancesRead);

        app.MapPost("/api/alerts/breakers/{processKey}/reset", async (string processKey, ClaimsPrincipal user, DurableEngine engine, CancellationToken cancellationToken) =>
                await engine.AlertBreakers.ResetAsync(processKey, user.Identity?.Name, cancellationToken)
                    ? Results.NoContent()
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"Process '{processKey}' has no alert rule and no breaker."))
            .WithTags("Alerts").RequirePermission(Permissions.InstancesOperate);
    }

    private static async Task<IResult> ReceiveAsync((List<Alert> Alerts, Dictionary<string, string[]> Errors) normalised, DurableEngine engine, CancellationToken cancellationToken)
    {
        if (normalised.Errors.Count > 0) return Results.ValidationProblem(normalised.Errors, detail: "The alert payload is not valid; nothing was taken.");
        var result = await engine.Alerts.ReceiveAsync(normalised.Alerts, cancellationToken);
        return Results.Json(result, statusCode: StatusCodes.Status202Accepted);
    }
}
