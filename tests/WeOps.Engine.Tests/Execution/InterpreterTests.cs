using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Execution;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;
using WeOps.Engine.Parsing;
using WeOps.Engine.Tests.Validation;

namespace WeOps.Engine.Tests.Execution;

/// <summary>The interpreter as a pure function: what goes in is not changed, the same input gives the
/// same output, and its state survives a round trip through JSON (which is how a store keeps it).</summary>
public sealed class InterpreterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly Interpreter interpreter = new(new ExpressionEvaluator());

    private static ProcessGraph Graph(string body) =>
        BpmnParser.Parse($"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
              <bpmn:process id="p" isExecutable="true">{body}</bpmn:process>
            </bpmn:definitions>
            """).Main!;

    private static readonly string ServiceThenTimer = """
        <bpmn:startEvent id="start" />
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="job" />
        <bpmn:serviceTask id="job"><bpmn:extensionElements><ops:task type="noop" /><ops:input name="result" value="${host}" /></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:sequenceFlow id="f2" sourceRef="job" targetRef="pause" />
        <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:sequenceFlow id="f3" sourceRef="pause" targetRef="end" />
        <bpmn:endEvent id="end" />
        """;

    private StepResult Start(ProcessGraph graph) =>
        interpreter.Start(graph, new StartRequest("i-1") { Variables = new JsonObject { ["host"] = "web-1" } }, Now);

    [Fact]
    public void Start_arms_a_job_with_evaluated_inputs_due_now()
    {
        var result = Start(Graph(ServiceThenTimer));

        var job = Assert.IsType<JobWait>(Assert.Single(result.Armed));
        Assert.Equal("job", job.ElementId);
        Assert.Equal("noop", job.ExecutorType);
        Assert.Equal(Now, job.DueAt);
        Assert.Equal("web-1", job.Inputs["result"]!.GetValue<string>());
        Assert.Equal(InstanceStatus.Running, result.State.Status);
    }

    [Fact]
    public void A_job_input_its_executor_reads_as_a_shell_command_gets_each_spliced_value_as_one_quoted_word()
    {
        var graph = Graph("""
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="job" />
            <bpmn:serviceTask id="job"><bpmn:extensionElements><ops:task type="test.deploy" />
              <ops:input name="command" value="systemctl status ${service}" />
              <ops:input name="service" value="${service}" />
            </bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="job" targetRef="end" />
            <bpmn:endEvent id="end" />
            """);
        var start = new StartRequest("i-1") { Variables = new JsonObject { ["service"] = "nginx; touch pwned" } };
        var catalog = new ExecutorCatalog([new DeployExecutor()]);

        var job = (JobWait)Assert.Single(new Interpreter(new ExpressionEvaluator(), executors: catalog).Start(graph, start, Now).Armed);

        Assert.Equal("systemctl status 'nginx; touch pwned'", job.Inputs["command"]!.GetValue<string>());
        Assert.Equal("nginx; touch pwned", job.Inputs["service"]!.GetValue<string>());
    }

    [Fact]
    public void A_value_spliced_inside_quotes_of_a_shell_command_raises_an_incident_and_arms_no_job()
    {
        var graph = Graph("""
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="job" />
            <bpmn:serviceTask id="job"><bpmn:extensionElements><ops:task type="test.deploy" />
              <ops:input name="command" value="echo &quot;${service}&quot;" />
            </bpmn:extensionElements></bpmn:serviceTask>
            <bpmn:sequenceFlow id="f2" sourceRef="job" targetRef="end" />
            <bpmn:endEvent id="end" />
            """);
        var start = new StartRequest("i-1") { Variables = new JsonObject { ["service"] = "$(touch pwned)" } };
        var catalog = new ExecutorCatalog([new DeployExecutor()]);

        var result = new Interpreter(new ExpressionEvaluator(), executors: catalog).Start(graph, start, Now);

        Assert.Empty(result.Armed.OfType<JobWait>());
        var incident = Assert.Single(result.State.Incidents);
        Assert.Contains("the value of ${service} is spliced inside \"...\"", incident.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_does_not_change_the_state_it_is_given()
    {
        var graph = Graph(ServiceThenTimer);
        var started = Start(graph).State;
        var before = JsonSerializer.Serialize(started);
        var job = started.Waits.Single();

        var after = interpreter.Handle(graph, started, new JobCompleted(job.Id, new JsonObject { ["result"] = "ok" }), Now);

        Assert.Equal(before, JsonSerializer.Serialize(started));
        Assert.NotSame(started, after.State);
        Assert.Equal(job.Id, Assert.Single(after.Disarmed).Id);
        var timer = Assert.IsType<TimerWait>(Assert.Single(after.Armed));
        Assert.Equal(Now.AddMinutes(10), timer.DueAt);
    }

    [Fact]
    public void The_same_input_gives_the_same_output()
    {
        var graph = Graph(ServiceThenTimer);
        var started = Start(graph).State;
        var stimulus = new JobCompleted(started.Waits.Single().Id, new JsonObject { ["result"] = "ok" });

        var first = interpreter.Handle(graph, started, stimulus, Now);
        var second = interpreter.Handle(graph, started, stimulus, Now);

        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(second));
    }

    [Fact]
    public void State_round_trips_through_json_with_its_waits()
    {
        var graph = Graph(ServiceThenTimer);
        var started = Start(graph).State;
        var job = started.Waits.Single();
        var waiting = interpreter.Handle(graph, started, new JobCompleted(job.Id, null), Now).State;

        var copy = JsonSerializer.Deserialize<InstanceState>(JsonSerializer.Serialize(waiting))!;

        Assert.IsType<TimerWait>(Assert.Single(copy.Waits));
        var done = interpreter.Handle(graph, copy, new TimerFired(copy.Waits[0].Id), Now.AddMinutes(10));
        Assert.Equal(InstanceStatus.Completed, done.State.Status);
        Assert.Equal(Now.AddMinutes(10), done.State.EndedAt);
    }

    [Fact]
    public void A_stimulus_for_a_wait_that_is_gone_is_ignored_with_a_reason()
    {
        var graph = Graph(ServiceThenTimer);
        var started = Start(graph).State;
        var job = started.Waits.Single();
        var moved = interpreter.Handle(graph, started, new JobCompleted(job.Id, null), Now).State;

        var again = interpreter.Handle(graph, moved, new JobCompleted(job.Id, null), Now);

        Assert.NotNull(again.Ignored);
        Assert.Contains($"wait {job.Id}", again.Ignored);
        Assert.Same(moved, again.State);
        Assert.Empty(again.History);
    }

    [Fact]
    public void A_stimulus_of_the_wrong_kind_for_a_wait_is_ignored()
    {
        var graph = Graph(ServiceThenTimer);
        var started = Start(graph).State;

        var result = interpreter.Handle(graph, started, new TimerFired(started.Waits.Single().Id), Now);

        Assert.NotNull(result.Ignored);
        Assert.Single(result.State.Waits.OfType<JobWait>());
    }

    [Fact]
    public void An_ended_instance_ignores_everything()
    {
        var graph = Graph("""<bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" /><bpmn:endEvent id="e" />""");
        var done = Start(graph).State;

        var result = interpreter.Handle(graph, done, new InstanceCancelled("late"), Now);

        Assert.Equal(InstanceStatus.Completed, done.Status);
        Assert.Contains("has ended", result.Ignored);
    }

    [Fact]
    public void History_records_entered_and_completed_with_the_step_time()
    {
        var graph = Graph(ServiceThenTimer);
        var result = Start(graph);

        Assert.Equal(
            [(HistoryKind.InstanceStarted, null), (HistoryKind.Entered, "start"), (HistoryKind.Completed, "start"), (HistoryKind.Entered, "job")],
            result.History.Select(h => (h.Kind, h.ElementId)).ToList());
        Assert.All(result.History, h => Assert.Equal(Now, h.Time));
    }

    [Fact]
    public void Starting_at_an_element_that_is_not_a_start_event_is_refused()
    {
        var graph = Graph(ServiceThenTimer);

        var error = Assert.Throws<InvalidOperationException>(() =>
            interpreter.Start(graph, new StartRequest("i-2") { StartEventId = "job" }, Now));
        Assert.Contains("'job' is not a start event", error.Message);
    }

    [Fact]
    public void Sub_processes_nested_sixty_deep_run_and_complete()
    {
        var body = new System.Text.StringBuilder();
        const int depth = 60;
        for (var i = 0; i < depth; i++)
            body.Append($"""<bpmn:subProcess id="sp{i}"><bpmn:startEvent id="s{i}" /><bpmn:sequenceFlow id="in{i}" sourceRef="s{i}" targetRef="{(i + 1 < depth ? $"sp{i + 1}" : "task")}" />""");
        body.Append("""<bpmn:userTask id="task" />""");
        for (var i = depth - 1; i >= 0; i--)
            body.Append($"""<bpmn:sequenceFlow id="out{i}" sourceRef="{(i + 1 < depth ? $"sp{i + 1}" : "task")}" targetRef="e{i}" /><bpmn:endEvent id="e{i}" /></bpmn:subProcess>""");
        var graph = Graph($"""<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="sp0" />{body}<bpmn:sequenceFlow id="f1" sourceRef="sp0" targetRef="end" /><bpmn:endEvent id="end" />""");

        var started = Start(graph);
        Assert.Equal(depth + 1, started.State.Scopes.Count);
        var task = Assert.IsType<UserTaskWait>(Assert.Single(started.Armed));

        var done = interpreter.Handle(graph, started.State, new UserTaskCompleted(task.Id), Now);
        Assert.Equal(InstanceStatus.Completed, done.State.Status);
        Assert.Equal("end", done.History.Last(h => h.Kind == HistoryKind.Completed).ElementId);
    }
}
