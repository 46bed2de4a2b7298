using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;
using static WeOps.Engine.Tests.Validation.Validate;

namespace WeOps.Engine.Tests.Validation;

public sealed class StartEventRulesTests
{
    [Fact]
    public void Process_without_a_start_event_is_an_error_on_the_process()
    {
        var document = Body("""<bpmn:task id="t"/><bpmn:endEvent id="end"/>""" + Flows("t>end"));

        var problem = Single(document, "p", Severity.Error, ProblemCodes.ProcessNoStart);
        Assert.Null(problem.Line);
    }

    [Fact]
    public void Message_and_timer_start_events_count_as_start_events()
    {
        var document = Xml(Definitions("""
            <bpmn:process id="p">
              <bpmn:startEvent id="byMessage"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>
              <bpmn:startEvent id="nightly"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT24H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
              <bpmn:endEvent id="end"/>
              <bpmn:sequenceFlow id="f1" sourceRef="byMessage" targetRef="end"/>
              <bpmn:sequenceFlow id="f2" sourceRef="nightly" targetRef="end"/>
            </bpmn:process>
            <bpmn:message id="m" name="run-now"/>
            """));

        NoProblems(document);
    }

    [Fact]
    public void Second_none_start_event_in_a_scope_is_an_error()
    {
        var document = Body("""<bpmn:startEvent id="s1"/><bpmn:startEvent id="s2"/><bpmn:endEvent id="end"/>""" + Flows("s1>end", "s2>end"));

        Single(document, "s2", Severity.Error, ProblemCodes.StartSecondPlain);
        Assert.DoesNotContain(document.Problems, p => p.ElementId == "s1");
    }

    [Fact]
    public void Sub_process_without_a_none_start_event_is_an_error()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/>
            <bpmn:subProcess id="sub" name="Rotate logs"><bpmn:task id="inner"/></bpmn:subProcess>
            <bpmn:endEvent id="end"/>
            """ + Flows("start>sub>end"));

        Single(document, "sub", Severity.Error, ProblemCodes.SubProcessNoStart);
    }

    [Fact]
    public void Start_event_with_a_trigger_inside_a_sub_process_is_an_error()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/>
            <bpmn:subProcess id="sub">
              <bpmn:startEvent id="inner"/>
              <bpmn:startEvent id="timed"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
              <bpmn:endEvent id="innerEnd"/>
              <bpmn:sequenceFlow id="i1" sourceRef="inner" targetRef="innerEnd"/>
              <bpmn:sequenceFlow id="i2" sourceRef="timed" targetRef="innerEnd"/>
            </bpmn:subProcess>
            <bpmn:endEvent id="end"/>
            """ + Flows("start>sub>end"));

        Assert.Equal(["timed Error"], Keys(document));
        Single(document, "timed", Severity.Error, ProblemCodes.StartTriggeredInSubProcess);
    }

    [Fact]
    public void Error_start_event_outside_an_event_sub_process_is_an_error()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:startEvent id="onError"><bpmn:errorEventDefinition/></bpmn:startEvent>
            <bpmn:endEvent id="end"/>
            """ + Flows("start>end", "onError>end"));

        Single(document, "onError", Severity.Error, ProblemCodes.StartError);
    }

    [Fact]
    public void Unsupported_element_is_an_error_whose_message_is_its_reason()
    {
        var document = Body("""<bpmn:startEvent id="start"/><bpmn:businessRuleTask id="rules"/><bpmn:endEvent id="end"/>""" + Flows("start>rules>end"));

        Assert.Equal(["rules Error"], Keys(document));
        Assert.Equal("Business rule tasks (DMN decisions) are not supported: use a script task or a service task.", document.Problems[0].Message);
    }

    [Fact]
    public void Event_sub_process_is_one_error_and_its_inside_is_not_checked()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>
            <bpmn:subProcess id="onFailure" triggeredByEvent="true">
              <bpmn:startEvent id="caught"><bpmn:errorEventDefinition/></bpmn:startEvent>
              <bpmn:serviceTask id="cleanup"/>
              <bpmn:sequenceFlow id="i1" sourceRef="caught" targetRef="cleanup"/>
            </bpmn:subProcess>
            """ + Flows("start>end"));

        Assert.Equal(["onFailure Error"], Keys(document));
        Single(document, "onFailure", Severity.Error, ProblemCodes.EventSubProcessUnsupported);
    }
}
