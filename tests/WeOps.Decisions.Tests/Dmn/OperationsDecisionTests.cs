using WeOps.Decisions.Dmn;
using WeOps.Decisions.Feel;

namespace WeOps.Decisions.Tests.Dmn;

public class OperationsDecisionTests
{
    private static Dictionary<string, object?> Vars(params (string, object?)[] values) => values.ToDictionary(v => v.Item1, v => v.Item2);

    [Theory]
    [InlineData("high", "high", "P1", "r-high-high")]
    [InlineData("high", "medium", "P2", "r-high-medium")]
    [InlineData("medium", "low", "P3", "r-medium-rest")]
    public void The_incident_priority_matrix_picks_one_priority_and_names_the_rule(string impact, string urgency, string priority, string rule)
    {
        var result = Fixtures.Evaluator("incident-priority-matrix.dmn").Evaluate("Incident priority", Vars(("Impact", impact), ("Urgency", urgency)));
        Assert.Equal(priority, result.Value);
        var matched = Assert.Single(result.MatchedRules);
        Assert.Equal(rule, matched.RuleId);
        Assert.Equal("priority-matrix", matched.DecisionTableId);
    }

    [Fact]
    public void Without_a_matching_rule_the_default_output_applies() =>
        Assert.Equal("P4", Fixtures.Evaluator("incident-priority-matrix.dmn").Evaluate("priority", Vars(("Impact", "low"), ("Urgency", "high"))).Value);

    [Fact]
    public void An_input_outside_its_allowed_values_gives_no_result() =>
        Assert.Null(Fixtures.Evaluator("incident-priority-matrix.dmn").Evaluate("Incident priority", Vars(("Impact", "severe"), ("Urgency", "high"))).Value);

    [Fact]
    public void The_rule_annotation_travels_with_the_matched_rule()
    {
        var result = Fixtures.Evaluator("incident-priority-matrix.dmn").Evaluate("Incident priority", Vars(("Impact", "high"), ("Urgency", "high")));
        Assert.Equal(["Service down for many users"], result.MatchedRules[0].Annotations);
    }

    [Fact]
    public void Change_risk_sums_risk_points_through_the_requirement_graph()
    {
        var change = new FeelContext();
        change.Set("hosts", 60m);
        change.Set("window start", FeelParser.Expression("date and time(\"2026-12-11T22:00:00Z\")").Eval(Scope.Root));
        change.Set("rollback tested", false);
        var evaluator = Fixtures.Evaluator("change-risk.dmn");
        Assert.Equal(95m, evaluator.Evaluate("Risk points", Vars(("Change", change))).Value);
        Assert.Equal("high", evaluator.Evaluate("Change risk", Vars(("Change", change))).Value);
    }

    [Fact]
    public void An_input_that_does_not_fit_its_item_definition_is_null()
    {
        var change = new FeelContext();
        change.Set("hosts", "many");
        change.Set("window start", null);
        change.Set("rollback tested", true);
        Assert.Equal("low", Fixtures.Evaluator("change-risk.dmn").Evaluate("Change risk", Vars(("Change", change))).Value);
    }

    [Theory]
    [InlineData("storage", "P1", "dba-oncall")]
    [InlineData("network-core", "P3", "network-queue")]
    [InlineData("printer", "P2", "service-desk-oncall")]
    public void Assignment_routing_invokes_a_business_knowledge_model(string category, string priority, string queue) =>
        Assert.Equal(queue, Fixtures.Evaluator("assignment-routing.dmn").Evaluate("Queue", Vars(("Category", category), ("Priority", priority))).Value);

    [Fact]
    public void An_unknown_decision_is_an_error_naming_it()
    {
        var error = Assert.Throws<DecisionEvaluationException>(() => Fixtures.Evaluator("assignment-routing.dmn").Evaluate("Escalation", Vars()));
        Assert.Contains("'Escalation'", error.Message, StringComparison.Ordinal);
    }
}
