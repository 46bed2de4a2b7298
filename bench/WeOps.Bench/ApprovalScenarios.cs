using System.Text.Json.Nodes;
using WeOps.Engine.Execution;
using WeOps.Engine.Expressions;
using WeOps.Engine.Parsing;

namespace WeOps.Bench;

/// <summary>Approval policy in the pure interpreter: the CPU an approval costs besides its database step.</summary>
public static class ApprovalScenarios
{
    public static IEnumerable<Scenario> All(bool quick)
    {
        var scale = quick ? 10 : 1;
        var graph = BpmnParser.Parse("""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
              <bpmn:process id="change" isExecutable="true">
                <bpmn:startEvent id="start" />
                <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
                <bpmn:userTask id="approve"><bpmn:extensionElements>
                  <ops:approval approvers="alice, bob, group:cab" policy="quorum" quorum="2" expiry="P2D" remind="PT4H" title="Change ${ticket}" show="ticket"/>
                </bpmn:extensionElements></bpmn:userTask>
                <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
                <bpmn:endEvent id="end" />
              </bpmn:process>
            </bpmn:definitions>
            """).Main!;
        var interpreter = new Interpreter(new ExpressionEvaluator());
        var now = DateTimeOffset.UnixEpoch;

        yield return new Scenario("approval: open, 3 decisions, quorum 2 of 3 (in memory)", 2_000 / scale, i =>
        {
            var state = interpreter.Start(graph, new StartRequest($"i-{i}") { Variables = new JsonObject { ["ticket"] = "CHG-1" }, StartedBy = "rita" }, now).State;
            var task = state.Waits.OfType<UserTaskWait>().Single().Id;
            state = interpreter.Handle(graph, state, new ApprovalDecided(task, "user:alice", "alice", "reject", null, "link"), now).State;
            state = interpreter.Handle(graph, state, new ApprovalDecided(task, "user:bob", "bob", "approve", null, "link"), now).State;
            state = interpreter.Handle(graph, state, new ApprovalDecided(task, "group:cab", "carl", "approve", null, "api"), now).State;
            if (state.Status != InstanceStatus.Completed) throw new InvalidOperationException("the approval did not complete");
            return Task.CompletedTask;
        });
    }
}
