using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Engine.Executors;
using WeOps.Engine.Persistence;

namespace WeOps.Integration.Tests.Persistence;

/// <summary>On PostgreSQL a transaction writes its history and job rows as arrays, many rows to a statement, and
/// hands jobs to this node's workers by the ids drawn for them. A job given another job's id would consume the wrong
/// row: its own would stay behind and run again, and the other's would be lost.</summary>
public sealed class BatchedRowsTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const int Branches = 6;

    private static string FanOut(string key) => $"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="{key}" isExecutable="true">
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
            <bpmn:parallelGateway id="fork" />
            {string.Concat(Enumerable.Range(1, Branches).Select(i => $"""
                <bpmn:sequenceFlow id="o{i}" sourceRef="fork" targetRef="t{i}" />
                <bpmn:serviceTask id="t{i}"><bpmn:extensionElements><ops:task type="noop" /></bpmn:extensionElements></bpmn:serviceTask>
                <bpmn:sequenceFlow id="i{i}" sourceRef="t{i}" targetRef="join" />
                """))}
            <bpmn:parallelGateway id="join" />
            <bpmn:sequenceFlow id="f2" sourceRef="join" targetRef="end" /><bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task Many_instances_started_and_stepped_together_run_each_job_once_and_leave_no_row()
    {
        var engine = new DurableEngine(new DatabaseOptions(DatabaseProvider.Postgres, database.ConnectionString),
            new ExecutorCatalog([new NoopExecutor()]), NullLoggerFactory.Instance, TimeProvider.System,
            new WorkerOptions { Parallelism = 8, PollInterval = TimeSpan.FromMilliseconds(50) });
        await engine.InitializeAsync(CancellationToken.None);
        var saved = await engine.Definitions.SaveDraftAsync(FanOut("batched-fan-out"), "test", CancellationToken.None);
        Assert.Empty(saved.Problems);
        await engine.Definitions.PublishAsync("batched-fan-out", null, "test", CancellationToken.None);

        using var stop = new CancellationTokenSource();
        var worker = Task.Run(() => engine.Worker.RunAsync(stop.Token));
        const int count = 120;
        var started = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            engine.Instances.StartAsync("batched-fan-out", null, new() { ["n"] = i }, $"\0key-{i}", CancellationToken.None)));

        await using var db = engine.Instances.OpenDb();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await db.Instances.CountAsync(i => i.Status == "completed") < count && DateTime.UtcNow < deadline) await Task.Delay(100);
        await stop.CancelAsync();
        await worker;

        Assert.Equal(count, await db.Instances.CountAsync(i => i.Status == "completed"));
        Assert.Equal(0, await db.Jobs.CountAsync());
        Assert.True(engine.Instances.StepsInSharedTransactions > 0, "no step shared a transaction, so no batch of rows was written");

        // Each task completed once in each instance; the history ids follow the order it was written in.
        var completions = await db.History.AsNoTracking().Where(h => h.Kind == "Completed" && h.ElementId!.StartsWith("t"))
            .Select(h => new { h.InstanceId, h.ElementId }).ToListAsync();
        Assert.Equal(count * Branches, completions.Count);
        Assert.Equal(count * Branches, completions.Distinct().Count());
        foreach (var state in started)
        {
            var id = Guid.Parse(state.InstanceId);
            var row = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id);
            Assert.Equal("\uFFFDkey-" + state.Variables["n"]!.GetValue<int>(), row.BusinessKey);
            var detail = await db.History.AsNoTracking().Where(h => h.InstanceId == id).OrderBy(h => h.Id).Select(h => h.Kind).ToListAsync();
            Assert.Equal("InstanceStarted", detail[0]);
            Assert.Equal("InstanceCompleted", detail[^1]);
        }
    }
}
