using static WeOps.Decisions.Tests.Feel.FeelEvaluation;

namespace WeOps.Decisions.Tests.Feel;

public class UnaryTestTests
{
    [Theory]
    [InlineData("-", 7, true)]
    [InlineData("< 10", 7, true)]
    [InlineData(">= 10", 7, false)]
    [InlineData("[1..7]", 7, true)]
    [InlineData("[1..7)", 7, false)]
    [InlineData("]1..10[", 1, false)]
    [InlineData("1, 3, 7", 7, true)]
    [InlineData("not(1, 3)", 7, true)]
    [InlineData("not(7)", 7, false)]
    [InlineData("? > 5 and ? < 9", 7, true)]
    [InlineData("odd(?)", 7, true)]
    public void A_number_input_against_tests(string tests, int input, bool expected) => Assert.Equal(expected, Test(tests, (decimal)input));

    [Fact]
    public void Strings_dates_and_null_inputs()
    {
        Assert.True(Test("\"high\", \"critical\"", "critical"));
        Assert.False(Test("not(\"high\", \"critical\")", "critical"));
        Assert.True(Test("[date(\"2026-01-01\")..date(\"2026-12-31\")]", Test2026()));
        Assert.True(Test("null", null));
        Assert.False(Test("< 10", null) is true);
    }

    [Fact]
    public void A_test_compares_with_variables_in_scope() =>
        Assert.True(Test("> Threshold", 90m, ("Threshold", 80m)));

    private static object? Test2026() => Eval("date(\"2026-12-07\")");
}
