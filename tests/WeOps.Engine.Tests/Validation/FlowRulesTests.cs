using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;
using static WeOps.Engine.Tests.Validation.Validate;

namespace WeOps.Engine.Tests.Validation;

public sealed class FlowRulesTests
{
    private const string Ends = """<bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>""";

    private static string Condition(string id, string source, string target, string condition) =>
        $"""<bpmn:sequenceFlow id="{id}" sourceRef="{source}" targetRef="{target}"><bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>""";

    [Fact]
    public void Flow_to_a_missing_target_is_an_error_on_the_flow()
    {
        var document = Fixture("invalid", "flow-to-missing-target.bpmn");

        Assert.Equal(["Flow_ToGhost Error"], Keys(document));
        Single(document, "Flow_ToGhost", Severity.Error, ProblemCodes.FlowTargetMissing);
    }

    [Fact]
    public void Flow_from_a_missing_source_is_an_error_on_the_flow()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>
            <bpmn:sequenceFlow id="f" sourceRef="ghost" targetRef="end"/>
            """ + Flows("start>end"));

        Single(document, "f", Severity.Error, ProblemCodes.FlowSourceMissing);
    }

    [Fact]
    public void Flow_without_a_target_is_an_error()
    {
        var document = Body("""<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f" sourceRef="start"/>""");

        Single(document, "f", Severity.Error, ProblemCodes.FlowNoTarget);
    }

    [Fact]
    public void Flow_crossing_a_sub_process_boundary_is_an_error()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/>
            <bpmn:subProcess id="sub">
              <bpmn:startEvent id="innerStart"/><bpmn:task id="inner"/>
              <bpmn:sequenceFlow id="i1" sourceRef="innerStart" targetRef="inner"/>
            </bpmn:subProcess>
            <bpmn:endEvent id="end"/>
            <bpmn:sequenceFlow id="out" sourceRef="inner" targetRef="end"/>
            """ + Flows("start>sub"));

        Single(document, "out", Severity.Error, ProblemCodes.FlowCrossesSubProcess);
    }

    [Fact]
    public void Flow_into_a_start_event_is_an_error()
    {
        var document = Body("""<bpmn:startEvent id="start"/><bpmn:task id="t"/>""" + Flows("start>t>start"));

        Single(document, "t-start", Severity.Error, ProblemCodes.FlowIntoStart);
    }

    [Fact]
    public void Flow_out_of_an_end_event_is_an_error()
    {
        var document = Body("""<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/><bpmn:endEvent id="after"/>""" + Flows("start>end>after"));

        Single(document, "end-after", Severity.Error, ProblemCodes.FlowOutOfEnd);
    }

    [Theory]
    [InlineData("exclusiveGateway")]
    [InlineData("inclusiveGateway")]
    public void Decision_flow_without_condition_that_is_not_the_default_is_an_error(string gateway)
    {
        var document = Body($"""
            <bpmn:startEvent id="start"/><bpmn:{gateway} id="g" default="toB"/>{Ends}<bpmn:endEvent id="c"/>
            {Condition("toA", "g", "a", "${big}")}
            <bpmn:sequenceFlow id="toB" sourceRef="g" targetRef="b"/>
            <bpmn:sequenceFlow id="toC" sourceRef="g" targetRef="c"/>
            """ + Flows("start>g"));

        Assert.Equal(["toC Error"], Keys(document));
        Single(document, "toC", Severity.Error, ProblemCodes.GatewayFlowWithoutCondition);
    }

    [Fact]
    public void Default_flow_that_does_not_leave_the_gateway_is_an_error()
    {
        var document = Body($"""
            <bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="g" default="start-g"/>{Ends}
            {Condition("toA", "g", "a", "${big}")}{Condition("toB", "g", "b", "${!big}")}
            """ + Flows("start>g"));

        Single(document, "g", Severity.Error, ProblemCodes.GatewayDefaultNotOutgoing);
    }

    [Fact]
    public void Condition_on_a_flow_out_of_a_parallel_gateway_is_a_warning()
    {
        var document = Body($"""
            <bpmn:startEvent id="start"/><bpmn:parallelGateway id="g"/>{Ends}
            {Condition("toA", "g", "a", "${big}")}<bpmn:sequenceFlow id="toB" sourceRef="g" targetRef="b"/>
            """ + Flows("start>g"));

        Assert.Equal(["toA Warning"], Keys(document));
        Single(document, "toA", Severity.Warning, ProblemCodes.ConditionIgnoredAfterParallel);
    }

    [Fact]
    public void Condition_on_the_default_flow_is_a_warning()
    {
        var document = Body($"""
            <bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="g" default="toB"/>{Ends}
            {Condition("toA", "g", "a", "${big}")}{Condition("toB", "g", "b", "${!big}")}
            """ + Flows("start>g"));

        Single(document, "toB", Severity.Warning, ProblemCodes.ConditionIgnoredOnDefault);
    }

    [Fact]
    public void Condition_on_a_flow_out_of_a_task_is_checked_and_not_reported_as_ignored()
    {
        var valid = Body($"""<bpmn:startEvent id="start"/><bpmn:task id="t"/>{Ends}{Condition("toA", "t", "a", "${x > 1}")}""" + Flows("start>t>b"));
        var broken = Body($"""<bpmn:startEvent id="start"/><bpmn:task id="t"/>{Ends}{Condition("toA", "t", "a", "${x @@ 1}")}""" + Flows("start>t>b"));

        // The engine takes each flow out of a task whose condition holds, so the condition is neither ignored...
        Assert.DoesNotContain(valid.Problems, p => p.ElementId == "toA");
        // ...nor left unchecked until a run reaches it.
        var problem = Single(broken, "toA", Severity.Error, "is not a valid expression");
        Assert.Contains("${x @@ 1}", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Condition_on_a_flow_out_of_an_event_is_checked()
    {
        var document = Body($"""<bpmn:startEvent id="start"/>{Ends}{Condition("toA", "start", "a", "${ready @@ 1}")}""" + Flows("start>b"));

        Single(document, "toA", Severity.Error, ProblemCodes.ExpressionInvalid);
    }

    [Fact]
    public void Condition_that_does_not_parse_is_an_error_quoting_it()
    {
        var document = Body($"""
            <bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="g" default="toB"/>{Ends}
            {Condition("toA", "g", "a", "${size @@ 3}")}<bpmn:sequenceFlow id="toB" sourceRef="g" targetRef="b"/>
            """ + Flows("start>g"));

        var problem = Single(document, "toA", Severity.Error, ProblemCodes.ExpressionInvalid);
        Assert.Equal(("condition", "\"${size @@ 3}\""), (problem.Args["part"], problem.Args["text"]));
        Assert.Contains("Unexpected token", problem.Args["error"], StringComparison.Ordinal);
    }

    [Fact]
    public void Element_without_outgoing_flow_that_is_not_an_end_event_is_a_warning()
    {
        var document = Body("""<bpmn:startEvent id="start"/><bpmn:task id="t"/>""" + Flows("start>t"));

        Assert.Equal(["t Warning"], Keys(document));
        Single(document, "t", Severity.Warning, ProblemCodes.DeadEnd);
    }

    [Fact]
    public void Boundary_event_without_outgoing_flow_is_an_error()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:userTask id="t"/><bpmn:endEvent id="end"/>
            <bpmn:boundaryEvent id="late" attachedToRef="t"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            """ + Flows("start>t>end"));

        Assert.Equal(["late Error"], Keys(document));
        Single(document, "late", Severity.Error, ProblemCodes.BoundaryNoOutgoing);
    }

    [Fact]
    public void Element_nothing_leads_to_is_unreachable()
    {
        var document = Body("""<bpmn:startEvent id="start"/><bpmn:task id="orphan"/><bpmn:endEvent id="end"/>""" + Flows("start>end", "orphan>end"));

        Assert.Equal(["orphan Warning"], Keys(document));
        Single(document, "orphan", Severity.Warning, ProblemCodes.Unconnected);
    }

    [Fact]
    public void Island_with_incoming_flows_but_no_path_from_a_start_event_is_unreachable()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>
            <bpmn:userTask id="x"/><bpmn:userTask id="y"/>
            """ + Flows("start>end", "x>y>x"));

        Assert.Equal(["x Warning", "y Warning"], Keys(document));
        Assert.Equal("process", Single(document, "x", Severity.Warning, ProblemCodes.Unreachable).Args["scope"]);
    }

    [Fact]
    public void Path_after_a_boundary_event_is_reachable()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:userTask id="t"/><bpmn:endEvent id="end"/>
            <bpmn:boundaryEvent id="late" attachedToRef="t"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:userTask id="escalate"/><bpmn:endEvent id="escalated"/>
            """ + Flows("start>t>end", "late>escalate>escalated"));

        NoProblems(document);
    }

    [Fact]
    public void Activity_default_that_does_not_leave_it_is_an_error_on_the_activity()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:task id="t" default="elsewhere"/><bpmn:endEvent id="end"/>
            <bpmn:sequenceFlow id="elsewhere" sourceRef="start" targetRef="end"/>
            """ + Flows("start>t>end"));

        var problem = Single(document, "t", Severity.Error, ProblemCodes.ActivityDefaultNotOutgoing);
        Assert.Equal("elsewhere", problem.Args["flow"]);
    }

    [Fact]
    public void Condition_on_an_activity_default_flow_is_a_warning_that_it_is_ignored()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:task id="t" default="d"/>
            """ + Ends + Condition("d", "t", "a", "${x == 1}") + Condition("c", "t", "b", "${x == 2}") + Flows("start>t"));

        var problem = Single(document, "d", Severity.Warning, ProblemCodes.ConditionIgnoredOnActivityDefault);
        Assert.Equal("t", problem.Args["activity"]);
        Assert.DoesNotContain(document.Problems, p => p.ElementId == "c");
    }
}
