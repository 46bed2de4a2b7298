using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Engine.Execution;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Persistence;

namespace WeOps.Integration.Tests.Persistence;

/// <summary>A script that runs until its time limit stops it holds no lock and no transaction that other instances'
/// steps wait on: a step is evaluated before it takes any (ADR 0017). While one instance's script spins, 200
/// straight-through instances of another process start and run to their end, and the spinning one ends with an incident
/// that names the limit.</summary>
[Collection(RunawayScripts.Collection)]
public sealed class RunawayScriptTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    /// <summary>Long enough that 200 instances finish well inside it (the tests that spin run alone; they take a second or two on
    /// an idle one); statements enough that the time limit, not the statement count, stops the script.</summary>
    internal static readonly ExpressionLimits Limits = ExpressionLimits.Default with { Timeout = TimeSpan.FromSeconds(15), MaxStatements = 174_762 };

    internal const int Others = 200;

    /// <summary>A busy loop of statements that each scan a 262,144-element array: no statement is long, and no loop
    /// ends, so only the wall-clock limit stops it.</summary>
    internal const string Spin = """
        var s = 'h';
        for (var i = 0; i < 18; i++) s += s;
        var hosts = s.split('');
        while (true) { hosts.indexOf('x'); }
        """;

    private const string RunawayProcess = $"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="runaway" isExecutable="true">
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="prepare" />
            <bpmn:serviceTask id="prepare"><bpmn:extensionElements><ops:task type="test.mark" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="prepare" targetRef="spin" />
            <bpmn:scriptTask id="spin" scriptFormat="javascript"><bpmn:script><![CDATA[{Spin}]]></bpmn:script></bpmn:scriptTask>
            <bpmn:sequenceFlow id="f3" sourceRef="spin" targetRef="end" /><bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    internal const string StraightThroughProcess = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="straight-through" isExecutable="true">
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
            <bpmn:serviceTask id="a"><bpmn:extensionElements><ops:task type="noop" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b" />
            <bpmn:serviceTask id="b"><bpmn:extensionElements><ops:task type="noop" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="c" />
            <bpmn:serviceTask id="c"><bpmn:extensionElements><ops:task type="noop" /><ops:input name="result" value="${n}" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f4" sourceRef="c" targetRef="gw" />
            <bpmn:exclusiveGateway id="gw" default="f6" />
            <bpmn:sequenceFlow id="f5" sourceRef="gw" targetRef="even"><bpmn:conditionExpression>${result % 2 == 0}</bpmn:conditionExpression></bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="f6" sourceRef="gw" targetRef="odd" />
            <bpmn:endEvent id="even" /><bpmn:endEvent id="odd" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task On_SQLite_200_instances_run_to_their_end_while_a_script_spins_to_its_time_limit()
    {
        var folder = Path.Combine(Path.GetTempPath(), "weops-runaway", Guid.NewGuid().ToString("N"));
        try
        {
            await RunAsync(new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "weops.db")}"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public Task On_PostgreSQL_200_instances_run_to_their_end_while_a_script_spins_to_its_time_limit() =>
        RunAsync(new DatabaseOptions(DatabaseProvider.Postgres, database.ConnectionString));

    private static async Task RunAsync(DatabaseOptions options)
    {
        var mark = new MarkExecutor();
        var engine = new DurableEngine(options, new ExecutorCatalog([new NoopExecutor(), mark]), NullLoggerFactory.Instance, TimeProvider.System,
            new WorkerOptions { PollInterval = TimeSpan.FromMilliseconds(50) }, expressionLimits: Limits);
        await engine.InitializeAsync(CancellationToken.None);
        foreach (var xml in new[] { RunawayProcess, StraightThroughProcess })
        {
            var saved = await engine.Definitions.SaveDraftAsync(xml, "test", CancellationToken.None);
            Assert.DoesNotContain(saved.Problems, p => p.Severity == WeOps.Engine.Validation.Severity.Error);
            await engine.Definitions.PublishAsync(saved.Key!, null, "test", CancellationToken.None);
        }

        using var stop = new CancellationTokenSource();
        var worker = Task.Run(() => engine.Worker.RunAsync(stop.Token));
        try
        {
            var runaway = Guid.Parse((await engine.Instances.StartAsync("runaway", null, null, null, CancellationToken.None)).InstanceId);
            await mark.Called.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var spinning = DateTime.UtcNow;
            // The job's step, and with it the script, starts as the executor returns.
            await Task.Delay(200);

            await RunOthersAsync(engine);
            var othersTook = DateTime.UtcNow - spinning;
            var whileSpinning = (await engine.Queries.GetAsync(runaway, CancellationToken.None))!;
            Assert.True(whileSpinning.Summary.Status == "running",
                $"the {Others} instances completed {othersTook.TotalSeconds:N1} s after the script began, when the spinning instance was already '{whileSpinning.Summary.Status}': they waited for it");

            var ended = await WaitForStatusAsync(engine, runaway, "faulted", TimeSpan.FromSeconds(60));
            var incident = Assert.Single(ended.State.Incidents);
            Assert.Equal("spin", incident.ElementId);
            Assert.Equal(IncidentKind.ExpressionFailed, incident.Kind);
            // Today's words: "Script '...' stopped: it ran longer than 30 s".
            Assert.Matches("(?i)time limit|ran longer than", incident.Message);
            Assert.True(DateTime.UtcNow - spinning >= Limits.Timeout, "the script ended before its time limit: it did not spin");
        }
        finally
        {
            await stop.CancelAsync();
            await worker;
        }
    }

    /// <summary>Starts <see cref="Others"/> instances of <see cref="StraightThroughProcess"/> and waits (up to a minute)
    /// until all of them completed.</summary>
    internal static async Task RunOthersAsync(DurableEngine engine)
    {
        var starts = Enumerable.Range(0, Others)
            .Select(i => engine.Instances.StartAsync("straight-through", null, new JsonObject { ["n"] = i }, null, CancellationToken.None));
        await Task.WhenAll(starts).WaitAsync(TimeSpan.FromSeconds(60));
        await using var db = engine.Instances.OpenDb();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await db.Instances.CountAsync(i => i.DefinitionKey == "straight-through" && i.Status == "completed") < Others)
        {
            Assert.True(DateTime.UtcNow < deadline, "the straight-through instances did not complete within 60 s");
            await Task.Delay(20);
        }
    }

    internal static async Task<InstanceDetail> WaitForStatusAsync(DurableEngine engine, Guid id, string status, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var detail = (await engine.Queries.GetAsync(id, CancellationToken.None))!;
            if (detail.Summary.Status == status) return detail;
            Assert.True(DateTime.UtcNow < deadline, $"instance {id} is '{detail.Summary.Status}', not '{status}', after {within.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    /// <summary>Says when it is called: the step after it is about to be evaluated.</summary>
    [Executor("test.mark", Category = "Test")]
    private sealed class MarkExecutor : Executor<MarkExecutor.Inputs>
    {
        public sealed record Inputs;

        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken)
        {
            Called.TrySetResult();
            return Task.FromResult<JsonNode?>(new JsonObject());
        }
    }
}
