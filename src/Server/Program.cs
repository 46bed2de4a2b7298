using Serilog;
using WeOps.Server;

// Bound runaway regular expressions in process scripts before any Regex exists (see ExpressionEvaluator).
AppContext.SetData("REGEX_DEFAULT_MATCH_TIMEOUT", TimeSpan.FromSeconds(2));

// Until the app has built its own logger, a startup failure still reaches the console.
Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateLogger();
try
{
    var app = WeOpsServer.Create(args);
    Log.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
    app.Run();
    return 0;
}
catch (Exception e) when (e is not HostAbortedException)
{
    Log.Fatal(e, "WeOps stopped: {Message}", e.Message);
    return 1;
}
finally
{
    Log.CloseAndFlush();
}
