using WeOps.Engine.Execution;
using WeOps.Engine.Expressions;
using WeOps.Engine.Parsing;
using WeOps.Engine.Tests.Parsing;

namespace WeOps.Engine.Tests.Execution;

/// <summary>Code stopped at a limit leaves an incident on its element that names the limit and the configuration
/// key to change, and the instance waits there instead of running on.</summary>
public sealed class ExpressionLimitIncidentTests
{
    // The time limit is generous where another limit is under test, so that a loaded machine meets that one first.
    [Theory]
    [InlineData("""<bpmn:scriptTask id="work" scriptFormat="javascript"><bpmn:script>while (true) { n = 1; }</bpmn:script></bpmn:scriptTask>""",
        "the statement limit (Expressions:MaxStatements)", 30_000)]
    [InlineData("""<bpmn:serviceTask id="work"><bpmn:extensionElements><ops:task type="noop"/><ops:input name="result" value="${new Array(200000000).join('ab').length}"/></bpmn:extensionElements></bpmn:serviceTask>""",
        "the expression time limit (Expressions:Timeout)", 200)]
    [InlineData("""<bpmn:scriptTask id="work" scriptFormat="javascript"><bpmn:script>function f() { return f(); } f();</bpmn:script></bpmn:scriptTask>""",
        "the recursion limit (Expressions:MaxRecursion)", 30_000)]
    public void Incident_on_the_element_names_the_limit(string element, string limit, int timeoutMilliseconds)
    {
        // Memory enough that the join meets the time limit.
        var limits = ExpressionLimits.Default with { Timeout = TimeSpan.FromMilliseconds(timeoutMilliseconds), MaxMemoryBytes = 4L * 1024 * 1024 * 1024 };
        var interpreter = new Interpreter(new ExpressionEvaluator(limits));
        var graph = BpmnParser.Parse(BpmnText.Process($"""
            <bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
            {element}
            <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/><bpmn:endEvent id="end"/>
            """)).Main!;

        var started = interpreter.Start(graph, new StartRequest("i-1"), DateTimeOffset.UtcNow);

        var incident = Assert.Single(started.State.Incidents);
        Assert.Equal("work", incident.ElementId);
        Assert.Contains(limit, incident.Message, StringComparison.Ordinal);
    }
}
