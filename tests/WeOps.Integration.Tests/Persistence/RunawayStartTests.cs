using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Engine.Alerts;
using WeOps.Engine.Execution;
using WeOps.Engine.Executors;
using WeOps.Engine.Persistence;

namespace WeOps.Integration.Tests.Persistence;

/// <summary>A process whose first steps run a script that spins to its time limit, started by an alert or by its
/// schedule: the start is evaluated before the transaction that writes it (ADR 0017), so while the script spins,
/// other alerts are taken and 200 straight-through instances run to their end. On SQLite the write lock is one for
/// the whole database, which is where a start evaluated under it stalled everything.</summary>
[Collection(RunawayScripts.Collection)]
public sealed class RunawayStartTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "weops-runaway-start", Guid.NewGuid().ToString("N"));
    private DurableEngine engine = null!;

    private const string AlertRunaway = $"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="alert-runaway" isExecutable="true">
            <bpmn:startEvent id="alert"><bpmn:extensionElements><ops:alert match='alertname="Spin"' /></bpmn:extensionElements></bpmn:startEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="alert" targetRef="spin" />
            <bpmn:scriptTask id="spin" scriptFormat="javascript"><bpmn:script><![CDATA[{RunawayScriptTests.Spin}]]></bpmn:script></bpmn:scriptTask>
            <bpmn:sequenceFlow id="f2" sourceRef="spin" targetRef="end" /><bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private const string AlertQuick = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="alert-quick" isExecutable="true">
            <bpmn:startEvent id="alert"><bpmn:extensionElements><ops:alert match='alertname="Quick"' /></bpmn:extensionElements></bpmn:startEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="alert" targetRef="end" /><bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private const string ScheduledRunaway = $"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="scheduled-runaway" isExecutable="true">
            <bpmn:startEvent id="tick"><bpmn:timerEventDefinition><bpmn:timeCycle>R1/PT1S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="tick" targetRef="spin" />
            <bpmn:scriptTask id="spin" scriptFormat="javascript"><bpmn:script><![CDATA[{RunawayScriptTests.Spin}]]></bpmn:script></bpmn:scriptTask>
            <bpmn:sequenceFlow id="f2" sourceRef="spin" targetRef="end" /><bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    public async Task InitializeAsync()
    {
        engine = new DurableEngine(new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "weops.db")}"),
            new ExecutorCatalog([new NoopExecutor()]), NullLoggerFactory.Instance, TimeProvider.System,
            new WorkerOptions { PollInterval = TimeSpan.FromMilliseconds(50) }, expressionLimits: RunawayScriptTests.Limits);
        await engine.InitializeAsync(CancellationToken.None);
        await PublishAsync(RunawayScriptTests.StraightThroughProcess);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task While_an_alert_started_script_spins_other_alerts_are_taken_and_200_instances_run_to_their_end()
    {
        await PublishAsync(AlertRunaway);
        await PublishAsync(AlertQuick);
        using var stop = new CancellationTokenSource();
        var worker = Task.Run(() => engine.Worker.RunAsync(stop.Token));
        try
        {
            var intake = Task.Run(() => engine.Alerts.ReceiveAsync([Alert("Spin")], CancellationToken.None));
            await RunawayScripts.SpinningAsync();
            var othersStarted = DateTimeOffset.UtcNow;
            var quick = await engine.Alerts.ReceiveAsync([Alert("Quick")], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
            await RunawayScriptTests.RunOthersAsync(engine);

            Assert.Single(quick.Started);
            Assert.False(intake.IsCompleted, $"the alert whose script spins was written before the others completed ({(DateTimeOffset.UtcNow - othersStarted).TotalSeconds:N1} s after they were started): they waited for it");
            var spun = await intake.WaitAsync(TimeSpan.FromSeconds(60));
            var detail = await RunawayScriptTests.WaitForStatusAsync(engine, Assert.Single(spun.Started), "faulted", TimeSpan.FromSeconds(5));
            Assert.Equal(("spin", IncidentKind.ExpressionFailed), (Assert.Single(detail.State.Incidents).ElementId, detail.State.Incidents[0].Kind));
        }
        finally
        {
            await stop.CancelAsync();
            await worker;
        }
    }

    [Fact]
    public async Task While_a_scheduled_start_spins_in_its_script_200_instances_run_to_their_end()
    {
        using var stop = new CancellationTokenSource();
        var worker = Task.Run(() => engine.Worker.RunAsync(stop.Token));
        try
        {
            await PublishAsync(ScheduledRunaway);
            // The occurrence is due a second after publishing; the worker takes it within its poll interval.
            await RunawayScripts.SpinningAsync();
            var othersStarted = DateTimeOffset.UtcNow;
            await RunawayScriptTests.RunOthersAsync(engine);

            await using (var db = engine.Instances.OpenDb())
                Assert.False(await db.Instances.AnyAsync(i => i.DefinitionKey == "scheduled-runaway"),
                    $"the scheduled instance was written before the others completed ({(DateTimeOffset.UtcNow - othersStarted).TotalSeconds:N1} s after they were started): they waited for its script");

            Guid id;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                await using var db = engine.Instances.OpenDb();
                var row = await db.Instances.Where(i => i.DefinitionKey == "scheduled-runaway").Select(i => (Guid?)i.Id).FirstOrDefaultAsync();
                if (row is { } found)
                {
                    id = found;
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, "the scheduled instance was never written");
                await Task.Delay(100);
            }

            var detail = await RunawayScriptTests.WaitForStatusAsync(engine, id, "faulted", TimeSpan.FromSeconds(5));
            Assert.Equal("spin", Assert.Single(detail.State.Incidents).ElementId);
        }
        finally
        {
            await stop.CancelAsync();
            await worker;
        }
    }

    private async Task PublishAsync(string xml)
    {
        var saved = await engine.Definitions.SaveDraftAsync(xml, "test", CancellationToken.None);
        Assert.DoesNotContain(saved.Problems, p => p.Severity == WeOps.Engine.Validation.Severity.Error);
        await engine.Definitions.PublishAsync(saved.Key!, null, "test", CancellationToken.None);
    }

    private static Alert Alert(string name)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["alertname"] = name };
        return new Alert { Source = "generic", Fingerprint = WeOps.Engine.Alerts.Alert.FingerprintOf(labels), Status = AlertStatus.Firing, Labels = labels, StartsAt = DateTimeOffset.UtcNow };
    }
}

/// <summary>The tests whose scripts spin to their time limit run alone: they measure what other instances do beside one
/// spinning script, and tell that it spins by its thread.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class RunawayScripts
{
    public const string Collection = "Runaway scripts";

    /// <summary>Waits (up to 30 s) until a script thread of this process runs: the engine names them "WeOps script", and
    /// Linux shows the name in /proc.</summary>
    public static async Task SpinningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(task, "comm")).Trim() == "WeOps script")
                    {
                        // Past its set-up: the variables defined and the loop entered.
                        await Task.Delay(200);
                        return;
                    }
                }
                catch (IOException)
                {
                    // The thread ended while it was read.
                }
            }

            await Task.Delay(20);
        }

        Assert.Fail("no script thread started within 30 s");
    }
}
