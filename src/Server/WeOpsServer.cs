using System.Text.Json.Serialization;
using WeOps.Activities;
using WeOps.Activities.Credentials;
using WeOps.Engine.Executors;
using WeOps.Server.Api;
using WeOps.Server.Approvals;
using WeOps.Server.Audit;
using WeOps.Server.Auth;
using WeOps.Server.Designer;
using WeOps.Server.Endpoints;
using WeOps.Server.Engine;
using WeOps.Server.Forms;
using WeOps.Server.Hooks;
using WeOps.Server.Logging;
using WeOps.Server.Validation;

namespace WeOps.Server;

/// <summary>Builds the WeOps web application: logging, services, endpoints. The test host starts it
/// the same way the command line does.</summary>
public static class WeOpsServer
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddWeOpsLogging();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        builder.AddWeOpsApi();
        // First: its hosted service creates or upgrades the schema, which the others' start-up reads
        // (the Data Protection key ring, the API key check) need to find.
        builder.AddWeOpsEngine();
        builder.AddWeOpsAuth();
        builder.AddWeOpsOpenApi();
        builder.Services.AddWeOpsActivities(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(sp => new ExecutorCatalog(sp.GetServices<IExecutor>()));
        builder.Services.AddSingleton<Tasks.Worklist>();
        builder.Services.AddSingleton<ReferenceCheck>();
        builder.AddWeOpsApprovals();
        builder.AddWeOpsForms();
        builder.AddWeOpsHooks();
        builder.AddWeOpsAudit();
        configure?.Invoke(builder);

        var app = builder.Build();
        // Fails now, with the reason, when the credential master key is missing or unreadable.
        app.Services.GetRequiredService<MasterKey>();
        app.UseRequestLogging(); // outermost, so it logs the status the error handlers set
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDesigner();
        app.UseWeOpsAuth();
        app.UseJsonBodyLimit();
        HealthEndpoints.Map(app);
        ActivitiesEndpoints.Map(app);
        ValidationEndpoints.Map(app);
        ApiKeysEndpoints.Map(app);
        DefinitionsEndpoints.Map(app);
        InstancesEndpoints.Map(app);
        TasksEndpoints.Map(app);
        FormsEndpoints.Map(app);
        EventsEndpoints.Map(app);
        CredentialsEndpoints.Map(app);
        HostsEndpoints.Map(app);
        HooksEndpoints.Map(app);
        MeEndpoints.Map(app);
        SessionEndpoints.Map(app);
        UsersEndpoints.Map(app);
        ApprovalPagesEndpoints.Map(app);
        AlertsEndpoints.Map(app);
        TicketsEndpoints.Map(app);
        AuditEndpoints.Map(app);
        SettingsEndpoints.Map(app);
        SetupEndpoints.Map(app);
        app.MapWeOpsOpenApi();
        return app;
    }
}
