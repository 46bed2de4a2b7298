using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Engine.Executors;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Tests.Persistence;

/// <summary><see cref="WorkerOptions.Parallelism"/> bounds executor calls, not the steps that record them: a job whose
/// executor has returned gives its slot to the next job while its step waits for a transaction.</summary>
public sealed class WorkerSlotTests : IAsyncLifetime
{
    private readonly SqliteEngine sqlite = new();
    private readonly ProbeExecutor probe = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => sqlite.DisposeAsync();

    /// <summary>The node of these tests: only the probe executor, and the parallelism under test.</summary>
    private async Task<DurableEngine> NodeAsync(int parallelism)
    {
        var engine = new DurableEngine(sqlite.Database, new ExecutorCatalog([probe]), NullLoggerFactory.Instance, sqlite.Clock,
            new WorkerOptions { Parallelism = parallelism, PollInterval = TimeSpan.FromMilliseconds(20) });
        await engine.InitializeAsync(CancellationToken.None);
        return engine;
    }

    private async Task<string> PublishFanOutAsync(DurableEngine engine, int branches)
    {
        var body = string.Concat(Enumerable.Range(1, branches).Select(i => $"""
            <bpmn:sequenceFlow id="o{i}" sourceRef="fork" targetRef="t{i}" />
            <bpmn:serviceTask id="t{i}"><bpmn:extensionElements><ops:task type="test.probe" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="i{i}" sourceRef="t{i}" targetRef="join" />
            """));
        var saved = await engine.Definitions.SaveDraftAsync($"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
              <bpmn:process id="fan-out-{branches}" isExecutable="true">
                <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
                <bpmn:parallelGateway id="fork" />{body}<bpmn:parallelGateway id="join" />
                <bpmn:sequenceFlow id="f2" sourceRef="join" targetRef="end" /><bpmn:endEvent id="end" />
              </bpmn:process>
            </bpmn:definitions>
            """, "tester", CancellationToken.None);
        Assert.Empty(saved.Problems);
        await engine.Definitions.PublishAsync(saved.Key!, null, "tester", CancellationToken.None);
        return saved.Key!;
    }

    [Fact]
    public async Task With_one_slot_the_next_executor_runs_while_the_step_of_the_last_one_cannot_commit()
    {
        var engine = await NodeAsync(parallelism: 1);
        var key = await PublishFanOutAsync(engine, branches: 2);
        var firstCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstMayReturn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.OnCall = async call =>
        {
            if (call == 1)
            {
                firstCalled.SetResult();
                await firstMayReturn.Task;
            }
            else
            {
                secondCalled.TrySetResult();
            }
        };

        using var stop = new CancellationTokenSource();
        var workers = Task.Run(() => engine.Worker.RunAsync(stop.Token));
        try
        {
            while (engine.Local.Owner is null) await Task.Delay(5);
            var id = Guid.Parse((await engine.Instances.StartAsync(key, null, null, null, CancellationToken.None)).InstanceId);
            await firstCalled.Task.WaitAsync(TimeSpan.FromSeconds(15));

            // Nothing can commit while the test holds SQLite's writer: the first job's step waits for it.
            using (await sqlite.Database.EnterWriteAsync(CancellationToken.None))
            {
                firstMayReturn.SetResult();
                var second = await Task.WhenAny(secondCalled.Task, Task.Delay(TimeSpan.FromSeconds(15)));
                Assert.True(second == secondCalled.Task, "the second executor did not run while the first job's step waited for its transaction");
                Assert.Equal(2, probe.Calls);
            }

            await WaitForStatusAsync(engine, id, "completed");
        }
        finally
        {
            await stop.CancelAsync();
            await workers;
        }
    }

    [Fact]
    public async Task No_more_executors_run_at_once_than_the_parallelism_allows()
    {
        var engine = await NodeAsync(parallelism: 2);
        var key = await PublishFanOutAsync(engine, branches: 8);
        // Each call waits a little for company, so two calls overlap however loaded the machine is, and then stays a
        // while longer, so a third call the workers let in would overlap them too.
        probe.OnCall = async _ =>
        {
            for (var waited = 0; probe.Running < 2 && waited < 1_000; waited += 5) await Task.Delay(5);
            await Task.Delay(30);
        };

        using var stop = new CancellationTokenSource();
        var workers = Task.Run(() => engine.Worker.RunAsync(stop.Token));
        try
        {
            while (engine.Local.Owner is null) await Task.Delay(5);
            var ids = new List<Guid>();
            for (var i = 0; i < 3; i++)
                ids.Add(Guid.Parse((await engine.Instances.StartAsync(key, null, new JsonObject { ["n"] = i }, null, CancellationToken.None)).InstanceId));
            foreach (var id in ids) await WaitForStatusAsync(engine, id, "completed");

            Assert.Equal(24, probe.Calls);
            Assert.Equal(2, probe.MostAtOnce);
        }
        finally
        {
            await stop.CancelAsync();
            await workers;
        }
    }

    private static async Task WaitForStatusAsync(DurableEngine engine, Guid id, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await engine.Queries.GetAsync(id, CancellationToken.None))!.Summary.Status != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"instance {id} did not become {status} within 30 s");
            await Task.Delay(10);
        }
    }

    /// <summary>Counts its calls and how many ran at once; each call runs <see cref="OnCall"/> with its number.</summary>
    [Executor("test.probe", Category = "Test")]
    private sealed class ProbeExecutor : Executor<ProbeExecutor.Inputs>
    {
        private int calls;
        private int running;
        private int mostAtOnce;

        public sealed record Inputs;

        public Func<int, Task> OnCall { get; set; } = _ => Task.CompletedTask;

        public int Calls => Volatile.Read(ref calls);

        public int MostAtOnce => Volatile.Read(ref mostAtOnce);

        public int Running => Volatile.Read(ref running);

        protected override async Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref calls);
            var now = Interlocked.Increment(ref running);
            for (var most = mostAtOnce; now > most; most = mostAtOnce)
                Interlocked.CompareExchange(ref mostAtOnce, now, most);
            try
            {
                await OnCall(call);
                return new JsonObject();
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }
    }
}
