using static WeOps.Decisions.Tests.Feel.FeelEvaluation;

namespace WeOps.Decisions.Tests.Feel;

public class FeelCoercionTests
{
    [Theory]
    [InlineData("upper case([\"bob\"])", "\"BOB\"")]
    [InlineData("string join(\"a\")", "\"a\"")]
    [InlineData("context({key: \"a\", value: 1})", "{a: 1}")]
    [InlineData("substring(\"foobar\", 3, 3.8)", "\"oba\"")]
    public void Single_values_and_lists_of_one_meet_the_parameter_they_are_given_to(string text, string expected) => Assert.Equal(expected, Text(text));

    [Theory]
    [InlineData("(function(n: number) n + 1)(\"one\")", "null")]
    [InlineData("(function(n: number) n + 1)(1)", "2")]
    public void A_typed_parameter_refuses_a_value_of_another_type(string text, string expected) => Assert.Equal(expected, Text(text));

    [Theory]
    [InlineData("range(\"[1..10)\")", "[1..10)")]
    [InlineData("range(\"[10..1]\")", "null")]
    [InlineData("range(\"[1..x]\")", "null")]
    [InlineData("range(\"[@\\\"2026-01-01\\\"..@\\\"2026-12-31\\\"]\") instance of range<date>", "true")]
    [InlineData("[1..10[ = [1..10)", "true")]
    public void Ranges_from_text_need_literal_ascending_ends(string text, string expected) => Assert.Equal(expected, Text(text));

    [Theory]
    [InlineData("[{item: 1}, {item: 2}, {item: 3}][item >= 2]", "[{item: 2}, {item: 3}]")]
    [InlineData("{foo+bar: 1}", "{\"foo+bar\": 1}")]
    [InlineData("for d in @\"2026-12-30\"..@\"2027-01-01\" return d.day", "[30, 31, 1]")]
    [InlineData("is(1)", "false")]
    public void Names_items_and_iteration_edges(string text, string expected) => Assert.Equal(expected, Text(text));
}
