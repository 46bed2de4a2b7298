using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Execution;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Tests.Persistence;

/// <summary>Starts and steps that arrive together commit in one transaction (StepBatches): each instance ends
/// exactly as it would alone, and one bad step in a batch fails alone.</summary>
public sealed class SharedTransactionTests : IAsyncLifetime
{
    private readonly SqliteEngine sqlite = new();
    private DurableEngine Engine => sqlite.Engine;

    public Task InitializeAsync() => sqlite.InitializeAsync();

    public Task DisposeAsync() => sqlite.DisposeAsync();

    private static string Process(string key, string body) => $"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="{key}" isExecutable="true">{body}</bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task Starts_and_job_steps_arriving_together_share_transactions_and_every_instance_ends_as_if_alone()
    {
        var branches = string.Concat(Enumerable.Range(1, 10).Select(i => $$"""
            <bpmn:sequenceFlow id="o{{i}}" sourceRef="fork" targetRef="t{{i}}" />
            <bpmn:serviceTask id="t{{i}}"><bpmn:extensionElements><ops:task type="noop" /><ops:input name="result" value="${n * {{i}} }" /><ops:output name="r{{i}}" value="${result}" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="i{{i}}" sourceRef="t{{i}}" targetRef="join" />
            """));
        var key = await sqlite.PublishAsync(Process("fan-out", $"""
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
            <bpmn:parallelGateway id="fork" />{branches}<bpmn:parallelGateway id="join" />
            <bpmn:sequenceFlow id="f2" sourceRef="join" targetRef="end" /><bpmn:endEvent id="end" />
            """));

        var started = await Task.WhenAll(Enumerable.Range(1, 30).Select(n =>
            Engine.Instances.StartAsync(key, null, new JsonObject { ["n"] = n }, null, CancellationToken.None)));
        while (await Engine.Worker.DrainAsync(CancellationToken.None) > 0)
        {
        }

        Assert.True(Engine.Instances.StepsInSharedTransactions > 0, "no two steps ever shared a transaction: the test shows nothing");
        foreach (var state in started)
        {
            var detail = (await Engine.Queries.GetAsync(Guid.Parse(state.InstanceId), CancellationToken.None))!;
            Assert.Equal("completed", detail.Summary.Status);
            var n = detail.State.Variables["n"]!.GetValue<int>();
            Assert.All(Enumerable.Range(1, 10), i => Assert.Equal(n * i, detail.State.Variables[$"r{i}"]!.GetValue<int>()));
            Assert.All(Enumerable.Range(1, 10), i => Assert.Single(detail.History, h => h.Kind == "Completed" && h.ElementId == $"t{i}"));
            Assert.Single(detail.History, h => h.Kind == "Completed" && h.ElementId == "join");
        }

        await using var db = Engine.Instances.OpenDb();
        Assert.Empty(await db.Jobs.ToListAsync());
    }

    [Fact]
    public async Task A_retry_armed_and_disarmed_by_two_steps_of_one_batch_leaves_no_job_behind()
    {
        var key = await sqlite.PublishAsync(Process("flaky", """
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="job" />
            <bpmn:serviceTask id="job"><bpmn:extensionElements><ops:task type="noop" retries="3" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="job" targetRef="end" /><bpmn:endEvent id="end" />
            """));
        // While the writer is held, both steps queue; the drainer then takes them as one batch: the failure re-arms
        // the job's wait (a retry keeps its wait id), the cancel disarms it again. The drainer may take the first
        // step before the second is queued; each try must leave no job, and one of them must have shared a batch.
        var sharedOnce = false;
        for (var attempt = 1; attempt <= 5 && !sharedOnce; attempt++)
        {
            var id = Guid.Parse((await Engine.Instances.StartAsync(key, null, null, null, CancellationToken.None)).InstanceId);
            JobRow job;
            await using (var db = Engine.Instances.OpenDb())
                job = await db.Jobs.SingleAsync(j => j.InstanceId == id);

            var shared = Engine.Instances.StepsInSharedTransactions;
            Task<StepOutcome> failed, cancelled;
            using (await sqlite.Database.EnterWriteAsync(CancellationToken.None))
            {
                failed = Engine.Instances.HandleAsync(id, new JobFailed(job.WaitId, "connection refused"), job.Id, CancellationToken.None);
                cancelled = Engine.Instances.HandleAsync(id, new InstanceCancelled("the change was withdrawn"), null, CancellationToken.None);
            }

            Assert.Equal(StepStatus.Applied, (await failed).Status);
            Assert.Equal(StepStatus.Applied, (await cancelled).Status);
            sharedOnce = Engine.Instances.StepsInSharedTransactions >= shared + 2;
            Assert.Equal("cancelled", (await Engine.Queries.GetAsync(id, CancellationToken.None))!.Summary.Status);
            await using var check = Engine.Instances.OpenDb();
            Assert.Empty(await check.Jobs.Where(j => j.InstanceId == id).ToListAsync());
        }

        Assert.True(sharedOnce, "the two steps never shared a transaction: the test shows nothing");
    }

    [Fact]
    public async Task A_step_on_a_corrupt_instance_fails_alone_and_the_others_commit()
    {
        var key = await sqlite.PublishAsync(Process("approve", """
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
            <bpmn:userTask id="task" /><bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" /><bpmn:endEvent id="end" />
            """));
        var started = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Engine.Instances.StartAsync(key, null, null, null, CancellationToken.None)));
        var broken = Guid.Parse(started[7].InstanceId);
        await using (var db = Engine.Instances.OpenDb())
        {
            // As any write of an instance does, the corruption moves its revision: the state this node kept from the
            // start is no longer current, and the step reads the row.
            await db.Instances.Where(i => i.Id == broken).ExecuteUpdateAsync(u => u.SetProperty(i => i.State, "{ not json").SetProperty(i => i.Revision, i => i.Revision + 1));
        }

        var tasks = await Engine.Queries.TasksAsync(new TaskFilter(Limit: 100), CancellationToken.None);

        var results = await Task.WhenAll(tasks.Select(async t =>
        {
            try
            {
                return (t.InstanceId, Outcome: (await Engine.Commands.CompleteTaskAsync(t.Id, null, "alice", CancellationToken.None))?.Status.ToString());
            }
            catch (System.Text.Json.JsonException)
            {
                return (t.InstanceId, Outcome: "failed");
            }
        }));

        Assert.Equal((broken, "failed"), Assert.Single(results, r => r.Outcome != nameof(StepStatus.Applied)));
        await using var check = Engine.Instances.OpenDb();
        Assert.Equal(19, await check.Instances.CountAsync(i => i.Status == "completed"));
    }
}
