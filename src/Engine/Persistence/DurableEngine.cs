using Microsoft.Extensions.Logging;
using WeOps.Engine.Approvals;
using WeOps.Engine.Alerts;
using WeOps.Engine.Execution;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;

namespace WeOps.Engine.Persistence;

/// <summary>The engine on a database: one object graph for a node, built the same way by the server,
/// the tests and the benchmark.</summary>
public sealed class DurableEngine
{
    public DurableEngine(DatabaseOptions database, ExecutorCatalog executors, ILoggerFactory logs, TimeProvider? time = null, WorkerOptions? workers = null,
        IApprovalMailer? mailer = null, BpmnLimits? limits = null, ExpressionLimits? expressionLimits = null,
        InterpreterOptions? interpreter = null)
    {
        EnsureThreadsForBlockingWork();
        Database = database;
        Time = time ?? TimeProvider.System;
        Signal = new JobSignal();
        var expressions = new ExpressionEvaluator(expressionLimits);
        Validator = new ProcessValidator(executors, expressions, limits);
        Definitions = new DefinitionStore(() => database.Open(), Validator, Time);
        workers ??= new WorkerOptions();
        Local = new LocalJobs();
        Instances = new InstanceStore(database, Definitions, new Interpreter(expressions, interpreter, executors), Time, Signal, logs.CreateLogger<InstanceStore>(),
            Local, workers.DefaultJobLock + workers.LockMargin);
        Correlator = new Correlator(Instances, Definitions);
        Commands = new InstanceCommands(Instances, Definitions, Time);
        Queries = new InstanceQueries(Instances);
        Nodes = new NodeRegistry(database, Time, workers.NodeLifetime, logs.CreateLogger<NodeRegistry>());
        LargeOutputs = new LargeOutputStore(database, Time);
        Schedules = new ScheduleRunner(Instances, database, Time, workers.MisfireThreshold);
        Approvals = new ApprovalDesk(Instances, Time);
        Users = new UserDirectory(database, Time);
        Alerts = new AlertIntake(Instances, Definitions, logs.CreateLogger<AlertIntake>());
        AlertLog = new AlertLog(Instances);
        AlertBreakers = new AlertBreakers(Instances, Definitions, Time);
        Worker = new JobWorker(Instances, Correlator, executors, database, Signal, Time, workers, Nodes.NodeId, logs.CreateLogger<JobWorker>(),
            LargeOutputs, Schedules, Local, mailer is null ? null : new ApprovalPostOffice(Approvals, mailer));
    }

    /// <summary>Threads the thread pool keeps ready at least, whatever the core count.</summary>
    private const int MinPoolThreads = 16;

    /// <summary>A script blocks the thread that evaluates it for up to its time limit, and SQLite waits for its write lock
    /// inside the call. With the pool's default of one ready thread per core, one long script on two cores left a single
    /// thread for every other step, and the pool adds threads only about twice a second: 200 instances started beside a
    /// script spinning to its limit had a p99 of 690 ms on SQLite, against 86 ms with 16 threads ready.</summary>
    private static void EnsureThreadsForBlockingWork()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < MinPoolThreads) ThreadPool.SetMinThreads(MinPoolThreads, completionPorts);
    }

    public DatabaseOptions Database { get; }
    public TimeProvider Time { get; }
    public JobSignal Signal { get; }
    public ProcessValidator Validator { get; }
    public DefinitionStore Definitions { get; }
    public InstanceStore Instances { get; }
    public Correlator Correlator { get; }
    public InstanceCommands Commands { get; }
    public InstanceQueries Queries { get; }
    public NodeRegistry Nodes { get; }
    public JobWorker Worker { get; }
    public LargeOutputStore LargeOutputs { get; }
    public AlertIntake Alerts { get; }
    public AlertLog AlertLog { get; }
    public AlertBreakers AlertBreakers { get; }

    /// <summary>Starts instances for timer start events; publishing writes the schedules.</summary>
    public ScheduleRunner Schedules { get; }

    /// <summary>Approval links and decisions.</summary>
    public ApprovalDesk Approvals { get; }
    public UserDirectory Users { get; }

    /// <summary>Due-now jobs this node's steps hand to its own workers.</summary>
    public LocalJobs Local { get; }

    /// <summary>Creates or upgrades the schema and registers this node (refused when unsafe).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await Database.MigrateAsync(cancellationToken);
        await Nodes.RegisterAsync(cancellationToken);
    }
}
