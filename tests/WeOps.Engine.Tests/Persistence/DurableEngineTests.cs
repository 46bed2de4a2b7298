using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WeOps.Engine.Execution;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Tests.Persistence;

/// <summary>The engine on SQLite: steps commit with their waits, workers run jobs and timers, and
/// what crosses between instances goes through the jobs table.</summary>
public sealed class DurableEngineTests : IAsyncLifetime
{
    private readonly SqliteEngine sqlite = new();
    private DurableEngine Engine => sqlite.Engine;

    public Task InitializeAsync() => sqlite.InitializeAsync();

    public Task DisposeAsync() => sqlite.DisposeAsync();

    private static string Process(string key, string body) => $"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:message id="m1" name="recovered" />
          <bpmn:process id="{key}" isExecutable="true">{body}</bpmn:process>
        </bpmn:definitions>
        """;

    private const string JobTimerTask = """
        <bpmn:startEvent id="start" />
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="job" />
        <bpmn:serviceTask id="job"><bpmn:extensionElements><ops:task type="noop" /><ops:input name="result" value="${host}" /><ops:output name="checked" value="${result}" /></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:sequenceFlow id="f2" sourceRef="job" targetRef="pause" />
        <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:sequenceFlow id="f3" sourceRef="pause" targetRef="approve" />
        <bpmn:userTask id="approve"><bpmn:extensionElements><ops:assignment assignee="alice" candidateGroups="ops,cab" /></bpmn:extensionElements></bpmn:userTask>
        <bpmn:sequenceFlow id="f4" sourceRef="approve" targetRef="end" />
        <bpmn:endEvent id="end" />
        """;

    [Fact]
    public async Task A_claim_for_step_only_kinds_takes_due_timers_and_leaves_executor_jobs_for_the_slots()
    {
        var jobs = await sqlite.PublishAsync(Process("job-only", """
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="job" />
            <bpmn:serviceTask id="job"><bpmn:extensionElements><ops:task type="noop" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="job" targetRef="end" /><bpmn:endEvent id="end" />
            """));
        var timers = await sqlite.PublishAsync(Process("timer-only", """
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
            <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" /><bpmn:endEvent id="end" />
            """));
        await Engine.Instances.StartAsync(jobs, null, null, null, CancellationToken.None);
        await Engine.Instances.StartAsync(timers, null, null, null, CancellationToken.None);
        sqlite.Clock.Advance(TimeSpan.FromMinutes(1));

        var claimed = await Engine.Worker.ClaimAsync(10, CancellationToken.None, stepOnlyKinds: true);

        Assert.Equal(JobKinds.Timer, Assert.Single(claimed).Kind);
        Assert.Equal(JobKinds.Job, Assert.Single(await Engine.Worker.ClaimAsync(10, CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task A_job_a_timer_and_a_user_task_each_wait_as_rows_and_the_instance_completes()
    {
        var key = await sqlite.PublishAsync(Process("runbook", JobTimerTask));
        var started = await Engine.Instances.StartAsync(key, null, new JsonObject { ["host"] = "web-1" }, "INC-1", CancellationToken.None);
        var id = Guid.Parse(started.InstanceId);

        await using (var db = Engine.Instances.OpenDb())
        {
            var job = await db.Jobs.SingleAsync();
            Assert.Equal(("job", "noop", id), (job.Kind, job.ExecutorType!, job.InstanceId));
        }

        Assert.Equal(1, await Engine.Worker.DrainAsync(CancellationToken.None));
        await using (var db = Engine.Instances.OpenDb())
        {
            var timer = await db.Jobs.SingleAsync();
            Assert.Equal("timer", timer.Kind);
            Assert.Equal(sqlite.Clock.GetUtcNow().AddMinutes(10).ToUnixTimeMilliseconds(), timer.DueAt);
        }

        Assert.Equal(0, await Engine.Worker.DrainAsync(CancellationToken.None));
        sqlite.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, await Engine.Worker.DrainAsync(CancellationToken.None));

        var task = Assert.Single(await Engine.Queries.TasksAsync(new TaskFilter(CandidateGroup: "cab"), CancellationToken.None));
        Assert.Equal(("approve", "alice"), (task.ElementId, task.Assignee));
        var done = await Engine.Commands.CompleteTaskAsync(task.Id, new JsonObject { ["approved"] = true }, "alice", CancellationToken.None);
        Assert.Equal(StepStatus.Applied, done!.Status);

        var detail = (await Engine.Queries.GetAsync(id, CancellationToken.None))!;
        Assert.Equal("completed", detail.Summary.Status);
        Assert.Equal("INC-1", detail.Summary.BusinessKey);
        Assert.Equal("web-1", detail.State.Variables["checked"]!.GetValue<string>());
        Assert.True(detail.State.Variables["approved"]!.GetValue<bool>());
        Assert.Equal(["start", "job", "pause", "approve", "end"], detail.History.Where(h => h.Kind == "Completed").Select(h => h.ElementId));
        Assert.Equal("alice", detail.History.Single(h => h.Kind == "Completed" && h.ElementId == "approve").Actor);
        await using (var db = Engine.Instances.OpenDb())
        {
            Assert.Empty(await db.Jobs.ToListAsync());
            Assert.Equal(UserTaskStates.Completed, (await db.UserTasks.SingleAsync()).State);
        }
    }

    [Fact]
    public async Task A_message_reaches_the_waiting_instance_by_correlation_key()
    {
        var key = await sqlite.PublishAsync(Process("wait-recovery", """
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
            <bpmn:intermediateCatchEvent id="wait"><bpmn:extensionElements><ops:subscription correlationKey="${host}" /></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="m1" /></bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
            <bpmn:endEvent id="end" />
            """));
        var a = await Engine.Instances.StartAsync(key, null, new JsonObject { ["host"] = "a" }, null, CancellationToken.None);
        var b = await Engine.Instances.StartAsync(key, null, new JsonObject { ["host"] = "b" }, null, CancellationToken.None);

        var outcome = await Engine.Correlator.PublishMessageAsync("recovered", "b", new JsonObject { ["at"] = "09:00" }, CancellationToken.None);

        Assert.Equal([Guid.Parse(b.InstanceId)], outcome.Delivered);
        Assert.Equal("waiting", (await Engine.Queries.GetAsync(Guid.Parse(a.InstanceId), CancellationToken.None))!.Summary.Status);
        var detailB = (await Engine.Queries.GetAsync(Guid.Parse(b.InstanceId), CancellationToken.None))!;
        Assert.Equal("completed", detailB.Summary.Status);
        Assert.Equal("09:00", detailB.State.Variables["at"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_call_activity_starts_a_child_in_the_same_transaction_and_resumes_when_it_ends()
    {
        await sqlite.PublishAsync(Process("child", """
            <bpmn:startEvent id="cs" /><bpmn:sequenceFlow id="c1" sourceRef="cs" targetRef="ct" />
            <bpmn:userTask id="ct" /><bpmn:sequenceFlow id="c2" sourceRef="ct" targetRef="ce" /><bpmn:endEvent id="ce" />
            """));
        var parentKey = await sqlite.PublishAsync(Process("parent", """
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
            <bpmn:callActivity id="call" calledElement="child" />
            <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" /><bpmn:endEvent id="end" />
            """));
        var parent = await Engine.Instances.StartAsync(parentKey, null, new JsonObject { ["x"] = 1 }, null, CancellationToken.None);
        var parentId = Guid.Parse(parent.InstanceId);

        var child = Assert.Single(await Engine.Queries.ListAsync(new InstanceFilter(DefinitionKey: "child"), CancellationToken.None));
        Assert.Equal(parentId, child.ParentId);
        var task = Assert.Single(await Engine.Queries.TasksAsync(new TaskFilter(InstanceId: child.Id), CancellationToken.None));
        await Engine.Commands.CompleteTaskAsync(task.Id, new JsonObject { ["y"] = 2 }, "bob", CancellationToken.None);
        Assert.Equal(1, await Engine.Worker.DrainAsync(CancellationToken.None));

        var detail = (await Engine.Queries.GetAsync(parentId, CancellationToken.None))!;
        Assert.Equal("completed", detail.Summary.Status);
        Assert.Equal(2, detail.State.Variables["y"]!.GetValue<int>());
    }

    [Fact]
    public async Task Publishing_the_same_draft_twice_keeps_one_version_and_a_change_makes_the_next()
    {
        var xml = Process("versions", JobTimerTask);
        var key = await sqlite.PublishAsync(xml);
        var again = await Engine.Definitions.PublishAsync(key, null, null, CancellationToken.None);
        Assert.Equal((1, false), (again!.Version, again.Created));

        await Engine.Definitions.SaveDraftAsync(xml.Replace("PT10M", "PT20M", StringComparison.Ordinal), "bob", CancellationToken.None);
        var next = await Engine.Definitions.PublishAsync(key, "longer pause", "bob", CancellationToken.None);
        Assert.Equal((2, true), (next!.Version, next.Created));
        var versions = (await Engine.Definitions.VersionsAsync(key, CancellationToken.None))!;
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Equal("longer pause", versions[1].Note);
        Assert.Contains("PT10M", await Engine.Definitions.VersionXmlAsync(key, 1, CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_a_draft_with_errors_is_refused_with_its_problems()
    {
        var saved = await Engine.Definitions.SaveDraftAsync(Process("broken", """
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="job" />
            <bpmn:serviceTask id="job" /><bpmn:sequenceFlow id="f2" sourceRef="job" targetRef="end" /><bpmn:endEvent id="end" />
            """), null, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<DefinitionInvalidException>(() => Engine.Definitions.PublishAsync(saved.Key!, null, null, CancellationToken.None));
        Assert.Contains(refused.Problems, p => p.ElementId == "job");
        Assert.Null(await Engine.Definitions.LatestVersionAsync("broken", CancellationToken.None));
    }

    [Fact]
    public async Task An_instance_stays_on_its_version_and_migrates_only_with_a_valid_mapping()
    {
        var v1 = Process("moving", """
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
            <bpmn:userTask id="review" /><bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" /><bpmn:endEvent id="end" />
            """);
        var key = await sqlite.PublishAsync(v1);
        var started = await Engine.Instances.StartAsync(key, null, null, null, CancellationToken.None);
        var id = Guid.Parse(started.InstanceId);
        await sqlite.PublishAsync(v1.Replace("\"review\"", "\"check\"", StringComparison.Ordinal));

        var refused = await Engine.Commands.MigrateAsync(id, 2, new Dictionary<string, string>(), "op", CancellationToken.None);
        Assert.Contains(refused!.Reasons, r => r.Contains("'review'", StringComparison.Ordinal));
        Assert.Equal(1, (await Engine.Queries.GetAsync(id, CancellationToken.None))!.Summary.Version);

        Assert.Null(await Engine.Commands.MigrateAsync(id, 2, new Dictionary<string, string> { ["review"] = "check" }, "op", CancellationToken.None));
        var task = Assert.Single(await Engine.Queries.TasksAsync(new TaskFilter(InstanceId: id), CancellationToken.None));
        Assert.Equal("check", task.ElementId);
        await Engine.Commands.CompleteTaskAsync(task.Id, null, "op", CancellationToken.None);
        var detail = (await Engine.Queries.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(("completed", 2), (detail.Summary.Status, detail.Summary.Version));
    }

    [Fact]
    public async Task A_second_node_on_the_same_sqlite_file_is_refused_at_startup()
    {
        var second = sqlite.New();

        var error = await Assert.ThrowsAsync<UnsafeSetupException>(() => second.InitializeAsync(CancellationToken.None));
        Assert.Contains("SQLite serves one node", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_held_by_a_node_that_stopped_beating_is_claimed_by_another_node_after_the_node_lifetime()
    {
        var key = await sqlite.PublishAsync(Process("runbook", JobTimerTask));
        await Engine.Instances.StartAsync(key, null, new JsonObject { ["host"] = "web-1" }, null, CancellationToken.None);
        Assert.Single(await Engine.Worker.ClaimAsync(1, CancellationToken.None)); // then this node is killed
        var other = sqlite.New();

        Assert.Empty(await other.Worker.ClaimAsync(1, CancellationToken.None));
        sqlite.Clock.Advance(Engine.Nodes.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Empty(await other.Worker.ClaimAsync(1, CancellationToken.None));
        sqlite.Clock.Advance(TimeSpan.FromSeconds(2));

        var taken = Assert.Single(await other.Worker.ClaimAsync(1, CancellationToken.None));
        Assert.Equal(other.Nodes.NodeId, taken.LockOwner);
    }

    [Fact]
    public async Task A_node_whose_clock_jumped_past_its_last_heartbeat_does_not_claim_the_jobs_it_holds_again()
    {
        var key = await sqlite.PublishAsync(Process("runbook", JobTimerTask));
        await Engine.Instances.StartAsync(key, null, new JsonObject { ["host"] = "web-1" }, null, CancellationToken.None);
        Assert.Single(await Engine.Worker.ClaimAsync(1, CancellationToken.None));

        sqlite.Clock.Advance(Engine.Nodes.Lifetime + TimeSpan.FromSeconds(1)); // before its next heartbeat

        Assert.Empty(await Engine.Worker.ClaimAsync(1, CancellationToken.None));
        var other = sqlite.New();
        Assert.Equal(other.Nodes.NodeId, Assert.Single(await other.Worker.ClaimAsync(1, CancellationToken.None)).LockOwner);
    }

    [Fact]
    public async Task A_live_node_keeps_its_jobs_and_one_stopped_cleanly_frees_them_at_once()
    {
        var key = await sqlite.PublishAsync(Process("runbook", JobTimerTask));
        await Engine.Instances.StartAsync(key, null, new JsonObject { ["host"] = "web-1" }, null, CancellationToken.None);
        Assert.Single(await Engine.Worker.ClaimAsync(1, CancellationToken.None));
        var other = sqlite.New();

        for (var beat = 0; beat < 4; beat++)
        {
            sqlite.Clock.Advance(Engine.Nodes.HeartbeatInterval);
            await Engine.Nodes.HeartbeatAsync(CancellationToken.None);
        }

        Assert.Empty(await other.Worker.ClaimAsync(1, CancellationToken.None));
        await Engine.Nodes.UnregisterAsync(CancellationToken.None);
        Assert.Single(await other.Worker.ClaimAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task A_node_forgotten_while_silent_registers_again_with_its_next_heartbeat()
    {
        await using (var db = Engine.Instances.OpenDb())
            await db.Nodes.ExecuteDeleteAsync();

        await Engine.Nodes.HeartbeatAsync(CancellationToken.None);

        await using (var db = Engine.Instances.OpenDb())
            Assert.Equal(Engine.Nodes.NodeId, (await db.Nodes.SingleAsync()).Id);
    }

    [Fact]
    public async Task The_history_names_the_node_that_ran_a_job_and_the_node_that_fired_a_timer()
    {
        var key = await sqlite.PublishAsync(Process("runbook", JobTimerTask));
        var id = Guid.Parse((await Engine.Instances.StartAsync(key, null, new JsonObject { ["host"] = "web-1" }, null, CancellationToken.None)).InstanceId);

        await Engine.Worker.DrainAsync(CancellationToken.None);
        sqlite.Clock.Advance(TimeSpan.FromMinutes(10));
        await Engine.Worker.DrainAsync(CancellationToken.None);

        var completed = (await Engine.Queries.GetAsync(id, CancellationToken.None))!.History.Where(h => h.Kind == "Completed").ToList();
        Assert.Equal(Engine.Nodes.NodeId, completed.Single(h => h.ElementId == "job").Actor);
        Assert.Equal(Engine.Nodes.NodeId, completed.Single(h => h.ElementId == "pause").Actor);
    }

    [Fact]
    public async Task A_failing_job_retries_then_leaves_an_incident_that_a_retry_clears()
    {
        var key = await sqlite.PublishAsync(Process("flaky", """
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
            <bpmn:serviceTask id="call"><bpmn:extensionElements><ops:task type="test.fail" retries="1" retryBackoff="PT1M" /><ops:input name="failTimes" value="${broken ? 99 : 0}" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" /><bpmn:endEvent id="end" />
            """));
        var id = Guid.Parse((await Engine.Instances.StartAsync(key, null, new JsonObject { ["broken"] = true }, null, CancellationToken.None)).InstanceId);

        await Engine.Worker.DrainAsync(CancellationToken.None);
        await using (var db = Engine.Instances.OpenDb())
        {
            var retry = await db.Jobs.SingleAsync();
            Assert.Equal(2, retry.Attempt);
            Assert.Equal("it failed", retry.LastError);
        }

        sqlite.Clock.Advance(TimeSpan.FromMinutes(1));
        await Engine.Worker.DrainAsync(CancellationToken.None);
        Assert.Equal("faulted", (await Engine.Queries.GetAsync(id, CancellationToken.None))!.Summary.Status);

        await Engine.Commands.SetVariablesAsync(id, new JsonObject { ["broken"] = false }, "op", CancellationToken.None);
        await Engine.Commands.RetryAsync(id, "op", CancellationToken.None);
        await Engine.Worker.DrainAsync(CancellationToken.None);
        Assert.Equal("completed", (await Engine.Queries.GetAsync(id, CancellationToken.None))!.Summary.Status);
    }

    [Fact]
    public async Task Jobs_a_step_creates_due_now_go_to_the_running_workers_of_the_node_without_a_claim()
    {
        var key = await sqlite.PublishAsync(Process("three-jobs", """
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
            <bpmn:serviceTask id="a"><bpmn:extensionElements><ops:task type="noop" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b" />
            <bpmn:serviceTask id="b"><bpmn:extensionElements><ops:task type="noop" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="c" />
            <bpmn:serviceTask id="c"><bpmn:extensionElements><ops:task type="noop" /></bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f4" sourceRef="c" targetRef="end" /><bpmn:endEvent id="end" />
            """));
        using var stop = new CancellationTokenSource();
        var workers = Task.Run(() => Engine.Worker.RunAsync(stop.Token));
        try
        {
            while (Engine.Local.Owner is null) await Task.Delay(5);
            var id = Guid.Parse((await Engine.Instances.StartAsync(key, null, null, null, CancellationToken.None)).InstanceId);

            var deadline = DateTime.UtcNow.AddSeconds(15);
            while ((await Engine.Queries.GetAsync(id, CancellationToken.None))!.Summary.Status != "completed")
            {
                Assert.True(DateTime.UtcNow < deadline, "the instance did not complete within 15 s");
                await Task.Delay(10);
            }

            Assert.Equal(3, Engine.Local.HandedOver);
        }
        finally
        {
            await stop.CancelAsync();
            await workers;
        }
    }

    [Fact]
    public async Task A_cycle_timer_leaves_no_job_rows_behind_once_it_has_fired_its_last_time()
    {
        var key = await sqlite.PublishAsync(Process("reminders", """
            <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
            <bpmn:userTask id="approve" /><bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" /><bpmn:endEvent id="end" />
            <bpmn:boundaryEvent id="remind" attachedToRef="approve" cancelActivity="false">
              <bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT1M</bpmn:timeCycle></bpmn:timerEventDefinition>
            </bpmn:boundaryEvent>
            <bpmn:sequenceFlow id="f3" sourceRef="remind" targetRef="reminded" /><bpmn:endEvent id="reminded" />
            """));
        var id = Guid.Parse((await Engine.Instances.StartAsync(key, null, null, null, CancellationToken.None)).InstanceId);

        for (var i = 0; i < 3; i++)
        {
            sqlite.Clock.Advance(TimeSpan.FromMinutes(1));
            await Engine.Worker.DrainAsync(CancellationToken.None);
        }

        var detail = (await Engine.Queries.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(2, detail.History.Count(h => h.Kind == "Completed" && h.ElementId == "remind"));
        Assert.Equal("waiting", detail.Summary.Status);
        await using var db = Engine.Instances.OpenDb();
        Assert.Empty(await db.Jobs.ToListAsync());
    }
}
