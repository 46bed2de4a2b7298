using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Tests.Persistence;

/// <summary>A step is evaluated from the state this node last left for its instance, before it takes any lock; its
/// transaction applies it only if the instance is still at that revision. One evaluated from a state another node has
/// since changed writes nothing, keeps its job, and is evaluated again from the instance as stored: no change is lost.</summary>
public sealed class StaleStepTests : IAsyncLifetime
{
    private readonly SqliteEngine sqlite = new();

    public Task InitializeAsync() => sqlite.InitializeAsync();

    public Task DisposeAsync() => sqlite.DisposeAsync();

    private const string Approval = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:process id="approve" isExecutable="true">
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
            <bpmn:userTask id="task" /><bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" /><bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task A_step_evaluated_from_a_state_another_node_changed_is_evaluated_again_and_loses_nothing()
    {
        var key = await sqlite.PublishAsync(Approval);
        var engine = sqlite.Engine;
        var id = Guid.Parse((await engine.Instances.StartAsync(key, null, new JsonObject { ["ticket"] = "INC-1" }, null, CancellationToken.None)).InstanceId);

        // Another node (its own store, which never saw the instance) changes it: this node's state of it is now stale.
        var other = sqlite.New();
        Assert.Equal(StepStatus.Applied, (await other.Commands.SetVariablesAsync(id, new JsonObject { ["priority"] = "high" }, "bob", CancellationToken.None)).Status);

        var task = Assert.Single(await engine.Queries.TasksAsync(new TaskFilter(InstanceId: id), CancellationToken.None));
        var outcome = await engine.Commands.CompleteTaskAsync(task.Id, new JsonObject { ["approved"] = true }, "alice", CancellationToken.None);

        Assert.Equal(StepStatus.Applied, outcome!.Status);
        Assert.Equal(1, engine.Instances.StepsEvaluatedAgain);
        var detail = (await engine.Queries.GetAsync(id, CancellationToken.None))!;
        Assert.Equal("completed", detail.Summary.Status);
        var variables = detail.State.Variables;
        Assert.Equal("high", (string?)variables["priority"]);
        Assert.True((bool)variables["approved"]!);
        Assert.Equal("INC-1", (string?)variables["ticket"]);
    }

    [Fact]
    public async Task A_job_step_found_stale_is_evaluated_again_and_takes_its_job_row_when_it_applies()
    {
        var key = await sqlite.PublishAsync("""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
              <bpmn:process id="one-job" isExecutable="true">
                <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
                <bpmn:serviceTask id="work"><bpmn:extensionElements><ops:task type="noop" /></bpmn:extensionElements></bpmn:serviceTask>
                <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" /><bpmn:endEvent id="end" />
              </bpmn:process>
            </bpmn:definitions>
            """);
        var engine = sqlite.Engine;
        var id = Guid.Parse((await engine.Instances.StartAsync(key, null, null, null, CancellationToken.None)).InstanceId);
        var other = sqlite.New();
        await other.Commands.SetVariablesAsync(id, new JsonObject { ["note"] = "changed elsewhere" }, "bob", CancellationToken.None);

        // The job's result, applied by this node from the state its start left: stale, evaluated again, then applied.
        await using var db = engine.Instances.OpenDb();
        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.InstanceId == id);
        var outcome = await engine.Instances.HandleAsync(id, new WeOps.Engine.Execution.JobCompleted(job.WaitId, new JsonObject(), "test"), job.Id, CancellationToken.None);

        Assert.Equal(StepStatus.Applied, outcome.Status);
        Assert.Equal(1, engine.Instances.StepsEvaluatedAgain);
        Assert.Equal("completed", (await engine.Queries.GetAsync(id, CancellationToken.None))!.Summary.Status);
        Assert.Equal("changed elsewhere", (string?)(await engine.Queries.GetAsync(id, CancellationToken.None))!.State.Variables["note"]);
        Assert.False(await db.Jobs.AnyAsync(j => j.InstanceId == id));
    }
}
