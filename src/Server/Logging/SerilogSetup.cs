using Serilog;
using Serilog.Events;

namespace WeOps.Server.Logging;

/// <summary>Logging through Serilog (Serilog.AspNetCore's dependencies cannot be restored; see DESIGN).</summary>
public static class SerilogSetup
{
    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>Serilog from the "Serilog" section of configuration, console by default; replaces the
    /// framework's providers so every log line has one format.</summary>
    public static WebApplicationBuilder AddWeOpsLogging(this WebApplicationBuilder builder)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .ReadFrom.Configuration(builder.Configuration);

        // Without appsettings.json in the content root (a binary started from another directory)
        // there would be no sink at all, and the server would run silent.
        if (!builder.Configuration.GetSection("Serilog:WriteTo").Exists())
            configuration.WriteTo.Console(outputTemplate: ConsoleTemplate);
        var logger = configuration.CreateLogger();

        // The app owns its logger and leaves the static Log.Logger to Program: two apps in one
        // process (the tests) must not replace, or dispose, each other's logger.
        builder.Services.AddSingleton<Serilog.ILogger>(logger);
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }

    /// <summary>One line per request: method, path, status, time.</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var log = app.ApplicationServices.GetRequiredService<Serilog.ILogger>()
            .ForContext(Serilog.Core.Constants.SourceContextPropertyName, "WeOps.Server.Requests");
        return app.Use(async (context, next) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await next();
            }
            finally
            {
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var level = context.Response.StatusCode >= 500 ? LogEventLevel.Error : LogEventLevel.Information;
                log.Write(level, "HTTP {Method} {Path} -> {Status} in {Elapsed:0.0} ms",
                    context.Request.Method, context.Request.Path.Value, context.Response.StatusCode, elapsed);
            }
        });
    }
}
