using System.Text.Json.Nodes;
using WeOps.Engine.Execution;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;
using WeOps.Engine.Parsing;

namespace WeOps.Engine.Tests.Execution;

/// <summary>A value evaluated at run time for a column of bounded length (a correlation key, an assignee,
/// a list of candidates) that is too long is an incident at the element, which the operator fixes and
/// retries; the store never gets a wait it cannot write.</summary>
public sealed class StoredLengthsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly Interpreter interpreter = new(new ExpressionEvaluator());

    private static ProcessGraph Graph(string element) =>
        BpmnParser.Parse($"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
              <bpmn:message id="m" name="order.packed" />
              <bpmn:process id="p" isExecutable="true">
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="x" />
                {element}
                <bpmn:sequenceFlow id="f2" sourceRef="x" targetRef="end" />
                <bpmn:endEvent id="end" />
              </bpmn:process>
            </bpmn:definitions>
            """).Main!;

    private const string MessageCatch = """
        <bpmn:intermediateCatchEvent id="x"><bpmn:extensionElements><ops:subscription correlationKey="${orderId}" /></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
        """;

    private const string AssignedTask = """
        <bpmn:userTask id="x"><bpmn:extensionElements><ops:assignment assignee="${assignee}" candidateUsers="${users}" /></bpmn:extensionElements></bpmn:userTask>
        """;

    [Fact]
    public void A_correlation_key_as_long_as_its_column_arms_the_subscription()
    {
        var result = Start(Graph(MessageCatch), new JsonObject { ["orderId"] = new string('o', StoredLengths.Key) });

        Assert.Equal(StoredLengths.Key, Assert.IsType<MessageWait>(Assert.Single(result.Armed)).CorrelationKey!.Length);
    }

    [Fact]
    public void A_correlation_key_longer_than_its_column_is_an_incident_and_a_retry_with_a_shorter_one_arms_the_subscription()
    {
        var graph = Graph(MessageCatch);
        var started = Start(graph, new JsonObject { ["orderId"] = new string('o', StoredLengths.Key + 1) });

        Assert.Empty(started.Armed);
        var incident = Assert.Single(started.State.Incidents);
        Assert.Equal(("x", IncidentKind.ExpressionFailed), (incident.ElementId, incident.Kind));
        Assert.Contains("correlation key", incident.Message, StringComparison.Ordinal);
        Assert.Contains("at most 200", incident.Message, StringComparison.Ordinal);

        var fixedUp = interpreter.Handle(graph, started.State, new VariablesUpdated(new JsonObject { ["orderId"] = "ORD-7" }), Now);
        var retried = interpreter.Handle(graph, fixedUp.State, new IncidentRetried(incident.Id), Now);

        Assert.Equal("ORD-7", Assert.IsType<MessageWait>(Assert.Single(retried.Armed)).CorrelationKey);
        Assert.Empty(retried.State.Incidents);
    }

    [Fact]
    public void An_assignee_longer_than_its_column_is_an_incident()
    {
        var result = Start(Graph(AssignedTask), new JsonObject { ["assignee"] = new string('a', StoredLengths.Key + 1), ["users"] = "bob" });

        Assert.Empty(result.Armed);
        Assert.Contains("assignee", Assert.Single(result.State.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Candidate_users_longer_than_their_column_together_are_an_incident()
    {
        var users = string.Join(',', Enumerable.Range(0, 400).Select(i => $"user{i:000}"));

        var result = Start(Graph(AssignedTask), new JsonObject { ["assignee"] = "alice", ["users"] = users });

        Assert.Empty(result.Armed);
        Assert.Contains("candidate users", Assert.Single(result.State.Incidents).Message, StringComparison.Ordinal);
    }

    private StepResult Start(ProcessGraph graph, JsonObject variables) =>
        interpreter.Start(graph, new StartRequest("i-1") { Variables = variables }, Now);
}
