using WeOps.Decisions.Feel;

namespace WeOps.Decisions.Tests.Dmn;

public class HitPolicyTests
{
    private static string Decide(string decision, decimal score) =>
        FeelValues.ToFeelString(Fixtures.Evaluator("hit-policies.dmn").Evaluate(decision, new Dictionary<string, object?> { ["Score"] = score }).Value);

    [Theory]
    [InlineData("unique", 60, "\"medium\"")]
    [InlineData("unique-overlapping", 90, "null")]
    [InlineData("any-agreeing", 90, "\"pass\"")]
    [InlineData("any-disagreeing", 90, "null")]
    [InlineData("priority", 90, "\"high\"")]
    [InlineData("first", 90, "\"low\"")]
    [InlineData("rule-order", 90, "[\"low\", \"medium\", \"high\"]")]
    [InlineData("output-order", 90, "[\"high\", \"medium\", \"low\"]")]
    [InlineData("collect", 60, "[\"low\", \"medium\"]")]
    [InlineData("collect-sum", 90, "60")]
    [InlineData("collect-min", 90, "10")]
    [InlineData("collect-max", 90, "30")]
    [InlineData("collect-count", 90, "3")]
    [InlineData("collect-sum", -1, "null")]
    [InlineData("collect", -1, "[]")]
    public void Each_hit_policy_combines_the_matching_rules_as_the_standard_says(string decision, int score, string expected) =>
        Assert.Equal(expected, Decide(decision, score));

    [Fact]
    public void Matched_rules_are_reported_in_the_order_the_policy_returns_them()
    {
        var result = Fixtures.Evaluator("hit-policies.dmn").Evaluate("output-order", new Dictionary<string, object?> { ["Score"] = 90m });
        Assert.Equal(["output-order-r3", "output-order-r2", "output-order-r1"], result.MatchedRules.Select(r => r.RuleId));
    }
}
