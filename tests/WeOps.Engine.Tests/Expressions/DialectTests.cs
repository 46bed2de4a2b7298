using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Parsing;
using WeOps.Engine.Tests.Parsing;
using WeOps.Engine.Validation;

namespace WeOps.Engine.Tests.Expressions;

/// <summary>Code in another engine's expression language is refused with a message that names the language and
/// how JavaScript writes it, at deploy as at run time.</summary>
public sealed class DialectTests
{
    private readonly ExpressionEvaluator evaluator = new();

    [Theory]
    [InlineData("= a + 1", "FEEL")]
    [InlineData("=count > 3", "FEEL")]
    [InlineData("#{approved}", "JUEL")]
    [InlineData("not approved", "'not' is a JUEL operator")]
    [InlineData("count eq 3", "'eq' is a JUEL operator")]
    [InlineData("a gt 1 and b lt 2", "JUEL operator")]
    [InlineData("empty hosts", "'empty' is a JUEL operator")]
    public void Expression_in_another_dialect_names_it(string expression, string named)
    {
        var problem = evaluator.CheckExpression(expression);

        Assert.NotNull(problem);
        Assert.Contains(named, problem, StringComparison.Ordinal);
        Assert.Contains("JavaScript (ES2023)", problem, StringComparison.Ordinal);
        Assert.Contains(named, Assert.Throws<ExpressionException>(() => evaluator.Evaluate(expression, Variables.None)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("def total = 0\nhosts.each { h -> total += 1 }")]
    [InlineData("println \"restarting\"")]
    public void Groovy_script_is_named(string script) =>
        Assert.Contains("Groovy", evaluator.CheckScript(script), StringComparison.Ordinal);

    [Theory]
    [InlineData("a === 1")]
    [InlineData("count == 3")]
    [InlineData("'not ready'")]
    public void Javascript_is_not_taken_for_another_dialect(string expression) => Assert.Null(evaluator.CheckExpression(expression));

    [Fact]
    public void Plain_javascript_syntax_error_names_no_dialect() =>
        Assert.DoesNotContain("JUEL", evaluator.CheckExpression("a + )"), StringComparison.Ordinal);

    [Fact]
    public void Deploying_a_process_reports_the_dialect_of_a_condition_on_a_flow_out_of_a_task()
    {
        var validator = new ProcessValidator(new ExecutorCatalog([new NoopExecutor()]), evaluator);
        var document = validator.Validate(BpmnParser.Parse(BpmnText.Process("""
            <bpmn:startEvent id="start"/><bpmn:task id="check"/><bpmn:endEvent id="a"/><bpmn:endEvent id="b"/>
            <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="check"/>
            <bpmn:sequenceFlow id="ok" sourceRef="check" targetRef="a"><bpmn:conditionExpression>#{approved eq true}</bpmn:conditionExpression></bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="other" sourceRef="check" targetRef="b"/>
            """)));

        var problem = Assert.Single(document.Problems, p => p.ElementId == "ok");
        Assert.Equal(Severity.Error, problem.Severity);
        Assert.Contains("JUEL", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ignored", problem.Message, StringComparison.Ordinal);
    }
}
