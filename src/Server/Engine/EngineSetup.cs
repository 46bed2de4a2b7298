using Microsoft.Extensions.DependencyInjection.Extensions;
using WeOps.Engine.Approvals;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Parsing;
using WeOps.Engine.Persistence;
using WeOps.Server.Auth;
using WeOps.Server.Health;

namespace WeOps.Server.Engine;

/// <summary>The durable engine inside the server: database from configuration, workers, heartbeat,
/// and the example workflows published at first start.</summary>
public static class EngineSetup
{
    public static WebApplicationBuilder AddWeOpsEngine(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => DatabaseFrom(configuration, contentRoot));
        builder.Services.AddSingleton(_ => BpmnLimitsFrom(configuration));
        // Read now, so that a limit out of range stops the start naming its key.
        builder.Services.AddSingleton(ExpressionLimitsFrom(configuration));
        builder.Services.AddSingleton(sp => new DurableEngine(
            sp.GetRequiredService<DatabaseOptions>(),
            sp.GetRequiredService<ExecutorCatalog>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            new WorkerOptions
            {
                Parallelism = Math.Clamp(configuration.GetValue("Workers:Parallelism", 8), 1, 256),
                NodeLifetime = NodeLifetimeFrom(configuration),
            },
            sp.GetService<IApprovalMailer>(),
            sp.GetRequiredService<BpmnLimits>(),
            sp.GetRequiredService<ExpressionLimits>()));
        // One validator: the one the engine saves and publishes with also answers the designer's checks.
        builder.Services.AddSingleton(sp => sp.GetRequiredService<DurableEngine>().Validator);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<DurableEngine>().Definitions);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<DurableEngine>().Instances);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<DurableEngine>().Commands);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<DurableEngine>().Queries);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<DurableEngine>().Correlator);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<DurableEngine>().LargeOutputs);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<DurableEngine>().Approvals);
        // Not the engine's own: executors need the directory, and the engine needs the executors.
        builder.Services.AddSingleton(sp => new UserDirectory(sp.GetRequiredService<DatabaseOptions>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ILargeOutputStore>(sp => sp.GetRequiredService<DurableEngine>().LargeOutputs);
        builder.Services.AddSingleton(sp => new EngineOptions(
            configuration.GetValue("Workers:Enabled", true),
            Path.GetFullPath(configuration["Workflows:Path"] ?? Path.Combine(contentRoot, "workflows"), contentRoot)));
        builder.Services.AddHostedService<EngineService>();
        builder.Services.AddSingleton<IReadinessCheck, DatabaseReadiness>();
        builder.Services.AddSingleton<IApiKeyStore, DatabaseApiKeyStore>();
        return builder;
    }

    /// <summary>Reads <c>Database:Provider</c> and <c>ConnectionStrings:WeOps</c>; SQLite under
    /// <c>data/</c> of the content root when nothing is set.</summary>
    public static DatabaseOptions DatabaseFrom(IConfiguration configuration, string contentRoot)
    {
        var providerText = configuration["Database:Provider"] ?? nameof(DatabaseProvider.Sqlite);
        if (!Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var provider))
            throw new InvalidOperationException($"Database:Provider is '{providerText}'; it must be Sqlite or Postgres.");
        var connection = configuration.GetConnectionString("WeOps");
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(connection))
            throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:WeOps is empty; set it (environment: ConnectionStrings__WeOps).");
        return new DatabaseOptions(provider, string.IsNullOrWhiteSpace(connection)
            ? $"Data Source={Path.Combine(contentRoot, "data", "weops.db")}"
            : connection);
    }

    /// <summary>Reads the <c>Expressions</c> section: <c>Timeout</c> (a TimeSpan), <c>MaxStatements</c>,
    /// <c>MaxRecursion</c>, <c>MaxMemoryBytes</c> and <c>MaxResultBytes</c>; what is not set keeps its default
    /// (<see cref="ExpressionLimits.Default"/>). A value out of range stops the start with the key's name.</summary>
    public static ExpressionLimits ExpressionLimitsFrom(IConfiguration configuration)
    {
        var defaults = ExpressionLimits.Default;
        var timeoutText = configuration[ExpressionLimits.TimeoutKey];
        var timeout = defaults.Timeout;
        if (!string.IsNullOrWhiteSpace(timeoutText)
            && (!TimeSpan.TryParse(timeoutText, System.Globalization.CultureInfo.InvariantCulture, out timeout) || timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(10)))
            throw new InvalidOperationException($"{ExpressionLimits.TimeoutKey} is '{timeoutText}'; it must be a time above zero and at most 00:10:00, e.g. 00:00:02.");

        var limits = defaults with
        {
            Timeout = timeout,
            MaxStatements = Number(configuration, ExpressionLimits.MaxStatementsKey, defaults.MaxStatements),
            MaxRecursion = Number(configuration, ExpressionLimits.MaxRecursionKey, defaults.MaxRecursion),
            MaxResultBytes = Number(configuration, ExpressionLimits.MaxResultBytesKey, defaults.MaxResultBytes),
            MaxMemoryBytes = Number(configuration, ExpressionLimits.MaxMemoryBytesKey, defaults.MaxMemoryBytes),
        };
        try
        {
            _ = new ExpressionEvaluator(limits);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidOperationException($"The Expressions settings are out of range: {e.Message.Split(Environment.NewLine)[0]}", e);
        }

        return limits;
    }

    private static T Number<T>(IConfiguration configuration, string key, T fallback)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return T.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > T.Zero
            ? value
            : throw new InvalidOperationException($"{key} is '{text}'; it must be a positive whole number.");
    }

    /// <summary>Reads <c>Cluster:NodeLifetime</c> (a TimeSpan, default 30 s): how long a node may stay silent
    /// before the others take over its jobs. Short enough to recover fast, long enough that a busy node is
    /// not declared dead: it beats three times per lifetime.</summary>
    public static TimeSpan NodeLifetimeFrom(IConfiguration configuration)
    {
        var text = configuration["Cluster:NodeLifetime"];
        if (string.IsNullOrWhiteSpace(text)) return new WorkerOptions().NodeLifetime;
        if (!TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var lifetime) || lifetime < TimeSpan.FromSeconds(1) || lifetime > TimeSpan.FromHours(1))
            throw new InvalidOperationException($"Cluster:NodeLifetime is '{text}'; it must be a time between 00:00:01 and 01:00:00, e.g. 00:00:30.");
        return lifetime;
    }

    /// <summary>Reads <c>Bpmn:MaxElements</c> (default 20,000), <c>Bpmn:MaxDepth</c> (100) and <c>Bpmn:MaxProblems</c>
    /// (1,000): what a BPMN file saved, published or validated may hold, and how many problems an answer lists.</summary>
    public static BpmnLimits BpmnLimitsFrom(IConfiguration configuration)
    {
        var defaults = BpmnLimits.Default;
        return new BpmnLimits
        {
            MaxElements = Limit(configuration, "Bpmn:MaxElements", defaults.MaxElements, 100, 1_000_000),
            MaxDepth = Limit(configuration, "Bpmn:MaxDepth", defaults.MaxDepth, 16, 10_000),
            MaxProblems = Limit(configuration, "Bpmn:MaxProblems", defaults.MaxProblems, 1, 1_000_000),
        };
    }

    private static int Limit(IConfiguration configuration, string key, int fallback, int min, int max)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new InvalidOperationException($"{key} is '{text}'; it must be a whole number between {min:N0} and {max:N0} (default {fallback:N0}).");
        return value;
    }
}

public sealed record EngineOptions(bool WorkersEnabled, string WorkflowsPath);

/// <summary>Ready when the database answers.</summary>
public sealed class DatabaseReadiness(DurableEngine engine) : IReadinessCheck
{
    public string Name => "database";

    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        await using var db = engine.Instances.OpenDb();
        return await db.Database.CanConnectAsync(cancellationToken)
            ? ReadinessResult.Ok
            : ReadinessResult.NotReady($"the {engine.Database.Provider} database does not answer");
    }
}
