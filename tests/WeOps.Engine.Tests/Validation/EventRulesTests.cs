using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;
using static WeOps.Engine.Tests.Validation.Validate;

namespace WeOps.Engine.Tests.Validation;

public sealed class EventRulesTests
{
    private const string Declarations = """
        <bpmn:message id="m" name="ticket-closed"/><bpmn:message id="unnamed"/><bpmn:signal id="s" name="maintenance"/>
        <bpmn:error id="e" name="Failed" errorCode="FAILED"/><bpmn:error id="noCode" name="Failed somehow"/>
        """;

    /// <summary>start → the element "x" → end, with messages, signals and errors declared.</summary>
    private static BpmnDocument Around(string element) => Xml(Definitions($"""
        <bpmn:process id="p"><bpmn:startEvent id="start"/>{element}<bpmn:endEvent id="end"/>{Flows("start>x>end")}</bpmn:process>
        {Declarations}
        """));

    /// <summary>start → task "t" → end, with a boundary event "x" on t leading to its own end.</summary>
    private static BpmnDocument OnTask(string boundary, string task = """<bpmn:userTask id="t"/>""") => Xml(Definitions($"""
        <bpmn:process id="p">
          <bpmn:startEvent id="start"/>{task}<bpmn:endEvent id="end"/>{boundary}<bpmn:endEvent id="after"/>
          {Flows("start>t>end", "x>after")}
        </bpmn:process>
        {Declarations}
        """));

    private static string Catch(string definition, string extensions = "") =>
        $"""<bpmn:intermediateCatchEvent id="x"><bpmn:extensionElements>{extensions}</bpmn:extensionElements>{definition}</bpmn:intermediateCatchEvent>""";

    private static string Timer(string child) => $"<bpmn:timerEventDefinition>{child}</bpmn:timerEventDefinition>";

    private const string Keyed = """<ops:subscription correlationKey="${ticketId}"/>""";

    [Theory]
    [InlineData("<bpmn:timeDuration>5 minutes</bpmn:timeDuration>", "ISO 8601 duration")]
    [InlineData("<bpmn:timeDuration>-PT5M</bpmn:timeDuration>", "ISO 8601 duration")]
    [InlineData("<bpmn:timeDate>tomorrow at nine</bpmn:timeDate>", "ISO 8601 date-time")]
    [InlineData("<bpmn:timeCycle>R/every hour</bpmn:timeCycle>", "repeating interval")]
    [InlineData("<bpmn:timeCycle>RR/PT1H</bpmn:timeCycle>", "repeating interval")]
    public void Timer_value_that_cannot_be_scheduled_is_an_error(string child, string phrase)
    {
        Single(Around(Catch(Timer(child))), "x", Severity.Error, phrase);
    }

    [Fact]
    public void Cron_that_quartz_rejects_is_an_error()
    {
        var document = Around(Catch(Timer(""), """<ops:cron expression="0 0 9 * *"/>"""));

        Single(document, "x", Severity.Error, ProblemCodes.TimerInvalid);
    }

    [Theory]
    [InlineData("<bpmn:timeDuration>PT5M</bpmn:timeDuration>")]
    [InlineData("<bpmn:timeDate>2026-03-01T09:00:00Z</bpmn:timeDate>")]
    [InlineData("<bpmn:timeCycle>R3/PT10M</bpmn:timeCycle>")]
    [InlineData("<bpmn:timeCycle>R/2026-03-01T09:00:00+01:00/P1D</bpmn:timeCycle>")]
    [InlineData("<bpmn:timeCycle>0 0 9 ? * MON-FRI</bpmn:timeCycle>")]
    [InlineData("<bpmn:timeDuration>${wait}</bpmn:timeDuration>")]
    [InlineData("<bpmn:timeDate>${deadline}</bpmn:timeDate>")]
    public void Timer_value_that_can_be_scheduled_or_is_a_template_is_fine(string child)
    {
        NoProblems(Around(Catch(Timer(child))));
    }

    [Fact]
    public void Timer_template_that_does_not_parse_is_an_error()
    {
        Single(Around(Catch(Timer("<bpmn:timeDuration>${@@}</bpmn:timeDuration>"))), "x", Severity.Error, "the timer \"${@@}\" is not a valid template");
    }

    [Fact]
    public void Timer_without_a_value_is_an_error()
    {
        Single(Around(Catch(Timer(""))), "x", Severity.Error, "timer without a value");
    }

    [Theory]
    [InlineData("""<bpmn:intermediateCatchEvent id="x"><bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent>""")]
    [InlineData("""<bpmn:receiveTask id="x"/>""")]
    public void Message_wait_without_a_message_name_is_an_error(string element)
    {
        Single(Around(element), "x", Severity.Error, "waits for a message but names none");
    }

    [Fact]
    public void Boundary_message_without_a_message_name_is_an_error()
    {
        Single(OnTask("""<bpmn:boundaryEvent id="x" attachedToRef="t"><bpmn:messageEventDefinition/></bpmn:boundaryEvent>"""), "x", Severity.Error, "names none");
    }

    [Fact]
    public void Message_start_event_without_a_message_name_is_an_error()
    {
        var document = Body("""
            <bpmn:startEvent id="x"><bpmn:messageEventDefinition/></bpmn:startEvent><bpmn:endEvent id="end"/>
            """ + Flows("x>end"));

        Single(document, "x", Severity.Error, ProblemCodes.MessageUnnamed);
    }

    [Theory]
    [InlineData("""<bpmn:intermediateCatchEvent id="x"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>""")]
    [InlineData("""<bpmn:receiveTask id="x" messageRef="m"/>""")]
    public void Message_wait_without_a_correlation_key_is_a_warning(string element)
    {
        var document = Around(element);

        Assert.Equal(["x Warning"], Keys(document));
        Single(document, "x", Severity.Warning, ProblemCodes.MessageNoCorrelation);
    }

    [Fact]
    public void Boundary_message_without_a_correlation_key_is_a_warning()
    {
        var document = OnTask("""<bpmn:boundaryEvent id="x" attachedToRef="t"><bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent>""");

        Single(document, "x", Severity.Warning, ProblemCodes.MessageNoCorrelation);
    }

    [Fact]
    public void Message_wait_with_a_correlation_key_is_fine()
    {
        NoProblems(Around(Catch("""<bpmn:messageEventDefinition messageRef="m"/>""", Keyed)));
    }

    [Fact]
    public void Correlation_key_that_does_not_parse_is_an_error()
    {
        var document = Around(Catch("""<bpmn:messageEventDefinition messageRef="m"/>""", """<ops:subscription correlationKey="${@@}"/>"""));

        Single(document, "x", Severity.Error, ProblemCodes.TemplateInvalid);
    }

    [Theory]
    [InlineData("""<bpmn:intermediateThrowEvent id="x"><bpmn:messageEventDefinition/></bpmn:intermediateThrowEvent>""", "names no message")]
    [InlineData("""<bpmn:intermediateThrowEvent id="x"><bpmn:signalEventDefinition/></bpmn:intermediateThrowEvent>""", "names no signal")]
    [InlineData("""<bpmn:intermediateCatchEvent id="x"><bpmn:signalEventDefinition/></bpmn:intermediateCatchEvent>""", "waits for a signal but names none")]
    public void Message_or_signal_event_without_a_name_is_an_error(string element, string phrase)
    {
        Single(Around(element), "x", Severity.Error, phrase);
    }

    [Fact]
    public void Message_end_event_without_a_message_name_is_an_error()
    {
        var document = Body("""<bpmn:startEvent id="start"/><bpmn:endEvent id="x"><bpmn:messageEventDefinition/></bpmn:endEvent>""" + Flows("start>x"));

        Single(document, "x", Severity.Error, ProblemCodes.MessageUnnamed);
    }

    [Fact]
    public void Error_end_event_without_an_error_code_is_an_error()
    {
        var document = Xml(Definitions($"""
            <bpmn:process id="p"><bpmn:startEvent id="start"/><bpmn:endEvent id="x"><bpmn:errorEventDefinition errorRef="noCode"/></bpmn:endEvent>{Flows("start>x")}</bpmn:process>
            {Declarations}
            """));

        Single(document, "x", Severity.Error, ProblemCodes.ErrorEndNoCode);
    }

    [Fact]
    public void Terminate_and_error_end_events_are_fine()
    {
        var document = Xml(Definitions($"""
            <bpmn:process id="p">
              <bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>
              <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition/></bpmn:endEvent>
              <bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="e"/></bpmn:endEvent>
              {Flows("start>fork>stop", "fork>fail")}
            </bpmn:process>
            {Declarations}
            """));

        NoProblems(document);
    }

    [Fact]
    public void Boundary_event_attached_to_something_that_is_not_an_activity_is_an_error()
    {
        var document = Body($"""
            <bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="g"/><bpmn:endEvent id="end"/><bpmn:endEvent id="after"/>
            <bpmn:boundaryEvent id="x" attachedToRef="g">{Timer("<bpmn:timeDuration>PT1H</bpmn:timeDuration>")}</bpmn:boundaryEvent>
            """ + Flows("start>g>end", "x>after"));

        Single(document, "x", Severity.Error, ProblemCodes.BoundaryOnNonActivity);
    }

    [Fact]
    public void Boundary_event_attached_to_nothing_is_an_error()
    {
        var document = OnTask($"""<bpmn:boundaryEvent id="x" attachedToRef="gone">{Timer("<bpmn:timeDuration>PT1H</bpmn:timeDuration>")}</bpmn:boundaryEvent>""");

        Single(document, "x", Severity.Error, ProblemCodes.BoundaryOnMissing);
    }

    [Fact]
    public void Non_interrupting_error_boundary_event_is_an_error()
    {
        var document = OnTask("""<bpmn:boundaryEvent id="x" attachedToRef="t" cancelActivity="false"><bpmn:errorEventDefinition errorRef="e"/></bpmn:boundaryEvent>""");

        Assert.Equal(["x Error"], Keys(document));
        Single(document, "x", Severity.Error, ProblemCodes.ErrorBoundaryNonInterrupting);
    }

    [Fact]
    public void Timer_and_message_boundary_events_on_an_activity_are_fine()
    {
        var document = Xml(Definitions($"""
            <bpmn:process id="p">
              <bpmn:startEvent id="start"/><bpmn:userTask id="t"/><bpmn:endEvent id="end"/>
              <bpmn:boundaryEvent id="late" attachedToRef="t" cancelActivity="false">{Timer("<bpmn:timeDuration>PT1H</bpmn:timeDuration>")}</bpmn:boundaryEvent>
              <bpmn:boundaryEvent id="closed" attachedToRef="t"><bpmn:extensionElements>{Keyed}</bpmn:extensionElements><bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent>
              <bpmn:endEvent id="after"/>
              {Flows("start>t>end", "late>after", "closed>after")}
            </bpmn:process>
            {Declarations}
            """));

        NoProblems(document);
    }

    [Fact]
    public void Event_based_gateway_followed_by_a_task_is_an_error_on_that_task()
    {
        var document = Xml(Definitions($"""
            <bpmn:process id="p">
              <bpmn:startEvent id="start"/><bpmn:eventBasedGateway id="g"/>
              {Catch(Timer("<bpmn:timeDuration>PT1H</bpmn:timeDuration>"))}
              <bpmn:userTask id="t"/>
              <bpmn:endEvent id="end"/>
              {Flows("start>g>x>end", "g>t>end")}
            </bpmn:process>
            {Declarations}
            """));

        Assert.Equal(["t Error"], Keys(document));
        Assert.Equal("g", Single(document, "t", Severity.Error, ProblemCodes.EventGatewayTargetNotEvent).Args["gateway"]);
    }

    [Fact]
    public void Event_based_gateway_with_one_outgoing_flow_is_an_error()
    {
        var document = Body($"""
            <bpmn:startEvent id="start"/><bpmn:eventBasedGateway id="g"/>{Catch(Timer("<bpmn:timeDuration>PT1H</bpmn:timeDuration>"))}<bpmn:endEvent id="end"/>
            """ + Flows("start>g>x>end"));

        Single(document, "g", Severity.Error, ProblemCodes.EventGatewayTooFewPaths);
    }

    [Fact]
    public void Event_based_gateway_before_catch_events_and_receive_tasks_is_fine()
    {
        var document = Xml(Definitions($"""
            <bpmn:process id="p">
              <bpmn:startEvent id="start"/><bpmn:eventBasedGateway id="g"/>
              {Catch(Timer("<bpmn:timeDuration>PT1H</bpmn:timeDuration>"))}
              <bpmn:receiveTask id="r" messageRef="m"><bpmn:extensionElements>{Keyed}</bpmn:extensionElements></bpmn:receiveTask>
              <bpmn:intermediateCatchEvent id="sig"><bpmn:signalEventDefinition signalRef="s"/></bpmn:intermediateCatchEvent>
              <bpmn:endEvent id="end"/>
              {Flows("start>g>x>end", "g>r>end", "g>sig>end")}
            </bpmn:process>
            {Declarations}
            """));

        NoProblems(document);
    }
}
