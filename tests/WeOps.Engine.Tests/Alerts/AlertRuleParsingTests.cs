using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;
using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;

namespace WeOps.Engine.Tests.Alerts;

public sealed class AlertRuleParsingTests
{
    private static string Process(string start) => $"""
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="d" targetNamespace="t">
          <bpmn:message id="m" name="go" />
          <bpmn:process id="p" isExecutable="true">
            {start}
            <bpmn:sequenceFlow id="f" sourceRef="alert" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private static IReadOnlyList<ValidationProblem> Problems(string xml) =>
        new ProcessValidator(new ExecutorCatalog([]), new ExpressionEvaluator()).Validate(BpmnParser.Parse(xml)).Problems;

    [Fact]
    public void The_fixture_rule_is_read_with_its_storm_control()
    {
        var xml = File.ReadAllText(Path.Combine("Fixtures", "alerts", "disk-full-remediation-waits-for-resolved.bpmn"));
        var graph = BpmnParser.Parse(xml).Processes.Single();
        var rule = Assert.IsType<AlertEventDefinition>(((StartEvent)graph.Node("alert")).Definition).Rule;
        Assert.Equal(["alertname=\"DiskFull\"", "severity=~\"critical|warning\""], rule.Matchers.Select(m => m.ToString()));
        Assert.Equal((1000, TimeSpan.FromMinutes(5), 3, TimeSpan.FromMinutes(10)), (rule.MaxConcurrent, rule.Cooldown, rule.BreakerFailures, rule.BreakerWindow));
    }

    [Theory]
    [InlineData("<ops:alert match='severity=~\"(critical\"'/>", "regular expression")]
    [InlineData("<ops:alert match='severity=>\"critical\"'/>", "stray quote")]
    [InlineData("<ops:alert match='severity critical'/>", "no operator")]
    [InlineData("<ops:alert/>", "no match attribute")]
    [InlineData("<ops:alert match='a=\"b\"' maxConcurrent='0'/>", "maxConcurrent")]
    [InlineData("<ops:alert match='a=\"b\"' cooldown='5 minutes'/>", "cooldown")]
    [InlineData("<ops:alert match='a=\"b\"' breakerFailures='x' />", "breakerFailures")]
    [InlineData("<ops:alert match='a=\"b\"' breakerFailures='2' breakerWindow='PT0S'/>", "breakerWindow")]
    public void A_bad_rule_is_an_error_on_the_start_event_with_its_line(string alert, string expected)
    {
        var problems = Problems(Process($"<bpmn:startEvent id=\"alert\"><bpmn:extensionElements>{alert}</bpmn:extensionElements></bpmn:startEvent>"));
        var problem = Assert.Single(problems, p => p.Severity == Severity.Error);
        Assert.Equal("alert", problem.ElementId);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.Equal(4, problem.Line);
    }

    [Fact]
    public void An_alert_rule_on_a_message_start_event_is_refused()
    {
        var problems = Problems(Process("<bpmn:startEvent id=\"alert\"><bpmn:extensionElements><ops:alert match='a=\"b\"'/></bpmn:extensionElements><bpmn:messageEventDefinition messageRef=\"m\"/></bpmn:startEvent>"));
        Assert.Contains(problems, p => p.ElementId == "alert" && p.Message.Contains("both a message trigger and ops:alert", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_alert_start_events_in_one_process_are_refused()
    {
        var problems = Problems(Process("""
            <bpmn:startEvent id="alert"><bpmn:extensionElements><ops:alert match='a="b"'/></bpmn:extensionElements></bpmn:startEvent>
            <bpmn:startEvent id="other"><bpmn:extensionElements><ops:alert match='a="c"'/></bpmn:extensionElements></bpmn:startEvent>
            <bpmn:sequenceFlow id="f0" sourceRef="other" targetRef="end" />
            """));
        Assert.Contains(problems, p => p.ElementId == "other" && p.Message.Contains("one alert rule", StringComparison.Ordinal));
    }

    [Fact]
    public void A_valid_rule_has_no_problems()
    {
        Assert.Empty(Problems(Process("<bpmn:startEvent id=\"alert\"><bpmn:extensionElements><ops:alert match='alertname=\"DiskFull\"' cooldown='PT5M'/></bpmn:extensionElements></bpmn:startEvent>")));
    }
}
