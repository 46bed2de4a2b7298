namespace WeOps.Decisions.Tests.Dmn;

public class ItemDefinitionTests
{
    private static object? Decide(string decision, string label) =>
        Fixtures.Evaluator("item-definitions-and-services.dmn").Evaluate(decision, new Dictionary<string, object?> { ["Label"] = label }).Value;

    [Theory]
    [InlineData("major", true)]
    [InlineData("blocker", false)]
    public void Instance_of_checks_the_allowed_values_of_an_item_definition(string label, bool expected) =>
        Assert.Equal(expected, Decide("Is severity", label));

    [Fact]
    public void A_decision_result_outside_its_type_is_null()
    {
        Assert.Equal("critical", Decide("Severity", "CRITICAL"));
        Assert.Null(Decide("Severity", "Blocker"));
    }

    [Fact]
    public void A_decision_service_is_invoked_as_a_function_of_its_inputs() => Assert.Equal("major", Decide("Via service", "ignored"));
}
