using System.Text.Json.Serialization;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Validation;
using WeOps.Server.Endpoints;
using WeOps.Server.Logging;

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
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<IExecutor, NoopExecutor>();
        builder.Services.AddSingleton(sp => new ExecutorCatalog(sp.GetServices<IExecutor>()));
        builder.Services.AddSingleton(new ExpressionEvaluator());
        builder.Services.AddSingleton(sp => new ProcessValidator(sp.GetRequiredService<ExecutorCatalog>(), sp.GetRequiredService<ExpressionEvaluator>()));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLogging();
        HealthEndpoints.Map(app);
        ActivitiesEndpoints.Map(app);
        ValidationEndpoints.Map(app);
        return app;
    }
}
