using WeOps.Engine.Executors;
using WeOps.Server.Auth;

namespace WeOps.Server.Endpoints;

/// <summary>The executors this node runs, described for the designer's palette and property forms.</summary>
public static class ActivitiesEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/activities", (ExecutorCatalog catalog) => catalog.Descriptors.ToList())
            .RequirePermission(Permissions.ActivitiesRead);
}
