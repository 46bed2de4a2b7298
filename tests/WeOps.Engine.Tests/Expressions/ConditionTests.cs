using System.Text.Json.Nodes;
using WeOps.Engine.Expressions;

namespace WeOps.Engine.Tests.Expressions;

public sealed class ConditionTests
{
    private readonly ExpressionEvaluator evaluator = new();
    private static readonly IReadOnlyDictionary<string, JsonNode?> Vars = Variables.From("""
        {"count": 5, "approved": false, "alert": {"labels": {"severity": "critical"}}}
        """);

    [Theory]
    [InlineData("count > 3", true)]
    [InlineData("count > 9", false)]
    [InlineData("alert.labels.severity == 'critical'", true)]
    [InlineData("!approved", true)]
    [InlineData("${approved}", false)]
    [InlineData("\n  ${count === 5}\n", true)]
    public void Condition_gives_true_or_false(string condition, bool expected) =>
        Assert.Equal(expected, evaluator.EvaluateCondition(condition, Vars));

    [Theory]
    [InlineData("count", "gave a number, not true or false")]
    [InlineData("'false'", "gave a string, not true or false")]
    [InlineData("alert.labels", "gave an object, not true or false")]
    [InlineData("alert.labels.missing", "gave undefined, not true or false")]
    [InlineData("null", "gave null, not true or false")]
    [InlineData("[]", "gave an array, not true or false")]
    public void Condition_giving_anything_but_a_boolean_is_an_error(string condition, string cause)
    {
        var e = Assert.Throws<ExpressionException>(() => evaluator.EvaluateCondition(condition, Vars));

        Assert.Equal($"Condition '{condition}' {cause}", e.Message);
    }

    [Fact]
    public void Condition_naming_a_missing_variable_names_it()
    {
        var e = Assert.Throws<ExpressionException>(() => evaluator.EvaluateCondition("retries < 3", Vars));

        Assert.Equal("Condition 'retries < 3' failed: ReferenceError: retries is not defined", e.Message);
    }
}
