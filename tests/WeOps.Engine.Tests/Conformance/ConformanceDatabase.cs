using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Engine.Execution;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Persistence;
using WeOps.Engine.Time;

namespace WeOps.Engine.Tests.Conformance;

/// <summary>One database for a class of conformance fixtures, migrated once. Each fixture finds it emptied of
/// processes, instances and their waits (so no message, signal or start event of another fixture reaches it) and gets
/// an engine of its own: fresh caches of graphs and versions, and a manual clock at the same start. The fixtures are
/// published from another node, one that also knows an executor no running node has.</summary>
public abstract class ConformanceDatabase : IAsyncLifetime
{
    private DatabaseOptions? options;

    public DatabaseOptions Options => options ?? throw new InvalidOperationException("The database is not created yet.");

    /// <summary>Creates the empty database and says how to reach it.</summary>
    protected abstract Task<DatabaseOptions> CreateAsync();

    protected abstract Task DropAsync();

    public async Task InitializeAsync()
    {
        options = await CreateAsync();
        await options.MigrateAsync();
    }

    public Task DisposeAsync() => options is null ? Task.CompletedTask : DropAsync();

    /// <summary>An engine on the emptied database; one worker slot, so jobs due together run in their order.</summary>
    public async Task<ConformanceDriver> DriverAsync(string folder)
    {
        await EmptyAsync();
        var clock = new ManualClock();
        var engine = new DurableEngine(Options, new ExecutorCatalog(Installed()), NullLoggerFactory.Instance, clock, new WorkerOptions { Parallelism = 1 },
            expressionLimits: Limits, interpreter: Steps);
        var publisher = new DurableEngine(Options, new ExecutorCatalog([.. Installed(), new ElsewhereExecutor()]), NullLoggerFactory.Instance, clock,
            expressionLimits: Limits);
        return new ConformanceDriver(engine, publisher.Definitions, clock, folder);
    }

    /// <summary>A time limit a loaded machine does not meet on a two-line script (2 s did, with the first scripts of a
    /// process compiling); the fixture of an endless loop is stopped by the statement limit all the same.</summary>
    private static readonly ExpressionLimits Limits = ExpressionLimits.Default with { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A thousand elements without a wait stop a loop here, not ten thousand: the fixture pins that a loop is
    /// stopped with an incident, and each element entered is a history row written in the step.</summary>
    private static readonly InterpreterOptions Steps = new() { MaxStepsPerStimulus = 1_000 };

    private static IExecutor[] Installed() => [new NoopExecutor(), new FailingExecutor(), new SleepingExecutor()];

    private async Task EmptyAsync()
    {
        await using var db = Options.Open();
        await db.Jobs.ExecuteDeleteAsync();
        await db.Subscriptions.ExecuteDeleteAsync();
        await db.UserTasks.ExecuteDeleteAsync();
        await db.ApprovalLinks.ExecuteDeleteAsync();
        await db.LargeOutputs.ExecuteDeleteAsync();
        await db.History.ExecuteDeleteAsync();
        await db.Instances.ExecuteDeleteAsync();
        await db.Schedules.ExecuteDeleteAsync();
        await db.DefinitionVersions.ExecuteDeleteAsync();
        await db.Definitions.ExecuteDeleteAsync();
    }
}
