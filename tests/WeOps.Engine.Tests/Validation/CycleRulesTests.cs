using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;
using static WeOps.Engine.Tests.Validation.Validate;

namespace WeOps.Engine.Tests.Validation;

public sealed class CycleRulesTests
{
    private static string Loop(string waitingElement) => $$"""
        <bpmn:startEvent id="start"/>
        <bpmn:exclusiveGateway id="merge"/>
        {{waitingElement}}
        <bpmn:exclusiveGateway id="again" default="retry"/>
        <bpmn:endEvent id="end"/>
        <bpmn:sequenceFlow id="done" sourceRef="again" targetRef="end"><bpmn:conditionExpression>${ok}</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="retry" sourceRef="again" targetRef="merge"/>
        """ + Flows("start>merge>step>again");

    [Fact]
    public void Loop_of_script_task_and_gateway_is_a_warning_on_its_first_element()
    {
        var document = Fixture("invalid", "loop-without-wait-state.bpmn");

        Assert.Equal(["Activity_Probe Warning"], Keys(document));
        var problem = Single(document, "Activity_Probe", Severity.Warning, ProblemCodes.LoopWithoutWait, "Probe health");
        Assert.Contains("Healthy?", problem.Args["elements"], StringComparison.Ordinal);
        Assert.DoesNotContain("Gateway_Healthy", problem.Args["elements"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""<bpmn:task id="step"/>""")]
    [InlineData("""<bpmn:manualTask id="step"/>""")]
    [InlineData("""<bpmn:scriptTask id="step"><bpmn:script>n++</bpmn:script></bpmn:scriptTask>""")]
    [InlineData("""<bpmn:intermediateThrowEvent id="step"/>""")]
    [InlineData("""<bpmn:parallelGateway id="step"/>""")]
    public void Loop_through_elements_that_pass_at_once_is_a_warning(string element)
    {
        var document = Body(Loop(element));

        Single(document, "merge", Severity.Warning, ProblemCodes.LoopWithoutWait);
    }

    [Theory]
    [InlineData("""<bpmn:userTask id="step"/>""")]
    [InlineData("""<bpmn:serviceTask id="step"><bpmn:extensionElements><ops:task type="noop"/></bpmn:extensionElements></bpmn:serviceTask>""")]
    [InlineData("""<bpmn:intermediateCatchEvent id="step"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>""")]
    [InlineData("""<bpmn:callActivity id="step" calledElement="check"/>""")]
    public void Loop_with_a_wait_state_is_fine(string element)
    {
        var document = Body(Loop(element));

        NoProblems(document);
    }

    [Fact]
    public void Gateway_looping_onto_itself_is_a_warning()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="g" default="g-g"/><bpmn:endEvent id="end"/>
            <bpmn:sequenceFlow id="out" sourceRef="g" targetRef="end"><bpmn:conditionExpression>${ok}</bpmn:conditionExpression></bpmn:sequenceFlow>
            """ + Flows("start>g>g"));

        Single(document, "g", Severity.Warning, ProblemCodes.LoopWithoutWait);
    }

    [Fact]
    public void Long_loop_is_found_without_exhausting_the_stack()
    {
        const int length = 20_000;
        var tasks = string.Concat(Enumerable.Range(1, length).Select(i => $"""<bpmn:task id="t{i}"/>"""));
        var chain = string.Join(">", Enumerable.Range(1, length).Select(i => $"t{i}"));
        var document = Unlimited.Validate(Process($"""<bpmn:startEvent id="start"/>{tasks}""" + Flows($"start>{chain}>t1")));

        var problem = Single(document, "t1", Severity.Warning, ProblemCodes.LoopWithoutWait);
        Assert.EndsWith("…", problem.Args["elements"], StringComparison.Ordinal);
    }
}
