using WeOps.Engine.Model;
using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;
using static WeOps.Engine.Tests.Validation.Validate;

namespace WeOps.Engine.Tests.Validation;

public sealed class TriggerRulesTests
{
    private static string Hook(string attributes, string id = "start") =>
        $$"""<bpmn:startEvent id="{{id}}"><bpmn:extensionElements><ops:http {{attributes}}/></bpmn:extensionElements></bpmn:startEvent>""";

    [Fact]
    public void A_hook_with_a_reply_is_read_with_every_setting()
    {
        var document = Body(Hook("""method="put" path="deploy/{service}" auth="hmac" secretCredential="ci" signatureHeader="X-Sig" allowHeaders="X-Request-Id, X-Actor" timeout="PT30S" """)
            + """<bpmn:endEvent id="end"><bpmn:extensionElements><ops:httpReply status="201" body="${ {service: request.params.service} }"/></bpmn:extensionElements></bpmn:endEvent>"""
            + Flows("start>end"));

        NoProblems(document);
        var start = (StartEvent)document.Main!.Node("start");
        Assert.Equal(new HttpTrigger
        {
            Method = "PUT",
            Path = "deploy/{service}",
            Auth = HookAuth.Hmac,
            SecretCredential = "ci",
            SignatureHeader = "X-Sig",
            AllowHeaders = start.Http!.AllowHeaders,
            Timeout = TimeSpan.FromSeconds(30),
        }, start.Http);
        Assert.Equal(["x-request-id", "x-actor"], start.Http.AllowHeaders);
        Assert.Equal(new HttpReply(201, "${ {service: request.params.service} }"), ((EndEvent)document.Main.Node("end")).Reply);
    }

    [Theory]
    [InlineData("""path="deploy/{a}/{a}" """, "appears twice")]
    [InlineData("""path="" """, "empty")]
    [InlineData("""path="x" method="TRACE" """, "not one a hook answers")]
    [InlineData("""path="x" auth="basic" """, "neither apikey nor hmac")]
    [InlineData("""path="x" auth="hmac" """, "needs secretCredential")]
    [InlineData("""path="x" timeout="PT61S" """, "at most PT1M")]
    [InlineData("""path="x" allowHeaders="X Bad" """, "not a valid header name")]
    public void A_bad_hook_setting_is_an_error_on_the_start_event(string attributes, string phrase)
    {
        var document = Body(Hook(attributes) + """<bpmn:endEvent id="end"/>""" + Flows("start>end"));

        var problem = Single(document, "start", Severity.Error, phrase);
        Assert.NotNull(problem.Line);
    }

    [Fact]
    public void Two_hooks_of_a_process_on_the_same_method_and_path_clash()
    {
        var document = Body(Hook("""path="deploy/{service}" """, "a") + Hook("""path="deploy/{name}" """, "b") + Hook("""path="deploy/{name}" method="GET" """, "c")
            + """<bpmn:endEvent id="end"/>""" + Flows("a>end", "b>end", "c>end"));

        Single(document, "b", Severity.Error, ProblemCodes.HookDuplicate);
        Assert.DoesNotContain(document.Problems, p => p.ElementId is "a" or "c");
    }

    [Fact]
    public void A_hook_on_a_start_event_with_a_trigger_or_on_a_task_is_an_error()
    {
        var document = Body("""
            <bpmn:startEvent id="start"><bpmn:extensionElements><ops:http path="x"/></bpmn:extensionElements><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
            <bpmn:task id="t"><bpmn:extensionElements><ops:http path="y"/><ops:httpReply/></bpmn:extensionElements></bpmn:task>
            <bpmn:endEvent id="end"/>
            """ + Flows("start>t>end"));

        Single(document, "start", Severity.Error, ProblemCodes.HookWithTrigger);
        Assert.Equal(2, document.Problems.Count(p => p.ElementId == "t" && p.Severity == Severity.Error));
    }

    [Theory]
    [InlineData("""status="99" """, "not an HTTP status")]
    [InlineData("""body="${ @@ }" """, "not a valid template")]
    public void A_bad_reply_is_an_error_on_its_element(string attributes, string phrase)
    {
        var document = Body(Hook("""path="x" """) + $$"""<bpmn:sendTask id="reply"><bpmn:extensionElements><ops:httpReply {{attributes}}/></bpmn:extensionElements></bpmn:sendTask><bpmn:endEvent id="end"/>""" + Flows("start>reply>end"));

        Single(document, "reply", Severity.Error, phrase);
    }

    [Fact]
    public void A_reply_without_a_hook_is_a_warning()
    {
        var document = Body("""<bpmn:startEvent id="start"/><bpmn:endEvent id="end"><bpmn:extensionElements><ops:httpReply/></bpmn:extensionElements></bpmn:endEvent>""" + Flows("start>end"));

        Single(document, "end", Severity.Warning, ProblemCodes.ReplyWithoutHook);
    }

    [Theory]
    [InlineData("<bpmn:timeDuration>PT5M</bpmn:timeDuration>", "", "with a duration")]
    [InlineData("<bpmn:timeCycle>${cycle}</bpmn:timeCycle>", "", "with an expression")]
    [InlineData("", """<ops:cron expression="0 0 9 * * ?" timeZone="Mars/Olympus"/>""", "Mars/Olympus")]
    [InlineData("", """<ops:cron expression="0 0 9 * * ?" misfire="later"/>""", "neither fireOnce nor skip")]
    [InlineData("", """<ops:cron expression="0 0 9 * *"/>""", "not a cron expression")]
    public void A_timer_start_event_that_cannot_be_scheduled_is_an_error(string timer, string extension, string phrase)
    {
        var document = Body($$"""
            <bpmn:startEvent id="nightly"><bpmn:extensionElements>{{extension}}</bpmn:extensionElements><bpmn:timerEventDefinition>{{timer}}</bpmn:timerEventDefinition></bpmn:startEvent>
            <bpmn:endEvent id="end"/>
            """ + Flows("nightly>end"));

        Single(document, "nightly", Severity.Error, phrase);
    }

    [Fact]
    public void A_cron_start_event_keeps_its_time_zone_and_misfire_policy()
    {
        var document = Body("""
            <bpmn:startEvent id="nightly"><bpmn:extensionElements><ops:cron expression="0 0 2 * * ?" timeZone="Europe/Berlin" misfire="skip"/></bpmn:extensionElements><bpmn:timerEventDefinition/></bpmn:startEvent>
            <bpmn:endEvent id="end"/>
            """ + Flows("nightly>end"));

        NoProblems(document);
        Assert.Equal(new TimerEventDefinition(TimerKind.Cron, "0 0 2 * * ?") { TimeZone = "Europe/Berlin", Misfire = MisfirePolicy.Skip },
            ((StartEvent)document.Main!.Node("nightly")).Definition);
    }
}
