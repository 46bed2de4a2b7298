using System.Text.Json.Nodes;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;
using WeOps.Engine.Parsing;
using WeOps.Engine.Triggers;
using WeOps.Engine.Validation;

namespace WeOps.Bench;

public static class EngineScenarios
{
    public static IEnumerable<Scenario> All(bool quick)
    {
        var scale = quick ? 10 : 1;
        var large = GeneratedProcesses.Runbook("runbook-300", 300);
        var huge = GeneratedProcesses.Runbook("runbook-10000", 10_000);
        var expressions = new ExpressionEvaluator();
        // The engine's speed on files beyond the limits an upload is held to: the 10,000-task runbook has
        // 50,000 XML elements and the broken file 30,001 problems.
        var validator = new ProcessValidator(new ExecutorCatalog([new NoopExecutor()]), expressions, BpmnLimits.None);

        yield return new Scenario("parse 300-element process", 500 / scale, _ => { BpmnParser.Parse(large); return Task.CompletedTask; });
        yield return new Scenario("parse 10,000-element process", Math.Max(2, 20 / scale), _ => { BpmnParser.Parse(huge, BpmnLimits.None); return Task.CompletedTask; },
            Target: "< 1 s", Meets: m => m.MicrosecondsPerOp < 1_000_000);

        yield return new Scenario("parse + validate 300-element process", 200 / scale, _ => { validator.Validate(large); return Task.CompletedTask; });
        yield return new Scenario("parse + validate 10,000-element process", Math.Max(2, 10 / scale), _ => { validator.Validate(BpmnParser.Parse(huge, BpmnLimits.None)); return Task.CompletedTask; },
            Target: "< 1 s", Meets: m => m.MicrosecondsPerOp < 1_000_000);

        var broken = $"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
              <bpmn:process id="broken" isExecutable="true"><bpmn:startEvent id="s"/>{string.Concat(Enumerable.Range(1, 10_000).Select(i => $"<bpmn:serviceTask id=\"t{i}\"/>"))}</bpmn:process>
            </bpmn:definitions>
            """;
        var brokenDocument = BpmnParser.Parse(broken);
        yield return new Scenario("validate 10,000 broken tasks (30,001 problems)", Math.Max(2, 10 / scale), _ => { validator.Validate(brokenDocument); return Task.CompletedTask; },
            Target: "< 1 s", Meets: m => m.MicrosecondsPerOp < 1_000_000);

        // What a file far over the limits costs before it is refused: reading up to the first element over them.
        var overElements = $"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
              <bpmn:process id="many" isExecutable="true">{string.Concat(Enumerable.Range(1, 100_000).Select(i => $"<bpmn:task id=\"t{i}\"/>"))}</bpmn:process>
            </bpmn:definitions>
            """;
        var overDepth = $"""
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
              <bpmn:process id="deep" isExecutable="true">{string.Concat(Enumerable.Range(1, 80_000).Select(i => $"<bpmn:subProcess id=\"s{i}\">"))}{string.Concat(Enumerable.Repeat("</bpmn:subProcess>", 80_000))}</bpmn:process>
            </bpmn:definitions>
            """;
        yield return new Scenario("refuse 100,000 tasks at the element limit", Math.Max(2, 20 / scale), _ => Refused(BpmnParser.Parse(overElements)),
            Target: "< 1 s", Meets: m => m.MicrosecondsPerOp < 1_000_000);
        yield return new Scenario("refuse 80,000 nested elements at the depth limit", Math.Max(2, 20 / scale), _ => Refused(BpmnParser.Parse(overDepth)),
            Target: "< 1 s", Meets: m => m.MicrosecondsPerOp < 1_000_000);

        var variables = new Dictionary<string, JsonNode?> { ["count"] = 7, ["alert"] = JsonNode.Parse("""{"labels":{"severity":"critical","instance":"web-1"}}""") };
        yield return new Scenario("condition `alert.labels.severity == 'critical'`", 20_000 / scale,
            _ => { expressions.EvaluateCondition("alert.labels.severity == 'critical'", variables); return Task.CompletedTask; });
        yield return new Scenario("expression `alert.labels.instance.toUpperCase() + '/' + count` (engine)", 20_000 / scale,
            _ => { expressions.Evaluate("alert.labels.instance.toUpperCase() + '/' + count", variables); return Task.CompletedTask; });
        const string script = "var total = 0; for (var i = 0; i < count; i++) { total += i * 2; } var label = alert.labels.instance + ':' + total;";
        yield return new Scenario("script task body (loop of 7, two variables out)", 20_000 / scale,
            _ => { expressions.RunScript(script, variables); return Task.CompletedTask; });

        // A generous time limit, so that the figure is the join's cost and not where a limit stops it.
        var patient = new ExpressionEvaluator(ExpressionLimits.Default with { Timeout = TimeSpan.FromMinutes(1) });
        var manyHosts = new Dictionary<string, JsonNode?> { ["hosts"] = new JsonArray([.. Enumerable.Range(0, 30_000).Select(i => (JsonNode?)$"web-{i}")]) };
        yield return new Scenario("template `${hosts.join(', ')}` on 30,000 hosts", Math.Max(2, 10 / scale),
            _ => { patient.EvaluateTemplate("${hosts.join(', ')}", manyHosts); return Task.CompletedTask; });

        var hooks = new HookRouteTable(Enumerable.Range(0, 1_000).Select(i =>
        {
            var path = $"team-{i % 50}/service-{i}/{{action}}";
            return new HookBinding($"p{i}", 1, "start", new HttpTrigger { Method = "POST", Path = path }, HookRoute.Parse(path, out _)!, 1);
        }));
        string[] called = ["team-7", "service-957", "restart"];
        yield return new Scenario("hook route lookup among 1,000 routes", 20_000 / scale,
            _ => hooks.Find("POST", called) is HookLookup.Found ? Task.CompletedTask : throw new InvalidOperationException("no route"));
    }

    private static Task Refused(BpmnDocument document) =>
        document.OverLimit is null ? throw new InvalidOperationException("The file was read: no limit stopped it.") : Task.CompletedTask;
}
