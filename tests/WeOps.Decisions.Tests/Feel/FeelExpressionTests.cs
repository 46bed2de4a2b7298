using WeOps.Decisions.Feel;
using static WeOps.Decisions.Tests.Feel.FeelEvaluation;

namespace WeOps.Decisions.Tests.Feel;

public class FeelExpressionTests
{
    [Theory]
    [InlineData("0.1 + 0.2", "0.3")]
    [InlineData("10 / 4", "2.5")]
    [InlineData("2 ** 10", "1024")]
    [InlineData("1 / 8", "0.125")]
    [InlineData("1 / 3", "0.3333333333333333333333333333")]
    [InlineData("-(3 - 5) * 2", "4")]
    [InlineData("1.2e3 + 1", "1201")]
    public void Numbers_are_decimal_not_binary_floating_point(string text, string expected) => Assert.Equal(expected, Text(text));

    [Theory]
    [InlineData("null + 1", "null")]
    [InlineData("1 / 0", "null")]
    [InlineData("\"a\" + 1", "null")]
    [InlineData("true or null", "true")]
    [InlineData("false and null", "false")]
    [InlineData("true and null", "null")]
    [InlineData("1 < \"a\"", "null")]
    [InlineData("null = null", "true")]
    [InlineData("unknown name", "null")]
    public void Errors_and_missing_values_are_null_with_ternary_logic(string text, string expected) => Assert.Equal(expected, Text(text));

    [Theory]
    [InlineData("date(\"2026-01-31\") + duration(\"P1M\")", "2026-02-28")]
    [InlineData("date(\"2026-03-01\") - date(\"2026-02-01\")", "P28D")]
    [InlineData("date and time(\"2026-12-07T10:00:00@Europe/Paris\") = date and time(\"2026-12-07T09:00:00Z\")", "true")]
    [InlineData("date and time(\"2026-12-07T10:00:00+02:00\") < date and time(\"2026-12-07T09:00:00Z\")", "true")]
    [InlineData("time(\"10:30:00\") + duration(\"PT45M\")", "11:15:00")]
    [InlineData("duration(\"P1DT2H\") * 2", "P2DT4H")]
    [InlineData("years and months duration(date(\"2020-02-15\"), date(\"2026-12-07\"))", "P6Y9M")]
    [InlineData("@\"2026-12-07T08:00:00Z\".hour", "8")]
    [InlineData("date(\"2026-12-07\").weekday", "1")]
    [InlineData("duration(\"P1Y2M\") + duration(\"P10M\")", "P2Y")]
    [InlineData("string(date(\"2026-12-07\"))", "\"2026-12-07\"")]
    public void Dates_times_and_both_duration_kinds(string text, string expected) => Assert.Equal(expected, Text(text));

    [Theory]
    [InlineData("[1, 2, 3, 4][item > 2]", "[3, 4]")]
    [InlineData("[1, 2, 3][-1]", "3")]
    [InlineData("[{a: 1}, {a: 2}].a", "[1, 2]")]
    [InlineData("{a: 1, b: a + 1}.b", "2")]
    [InlineData("{total cost: 5, with tax: total cost * 1.2}.with tax", "6")]
    [InlineData("for x in [1, 2, 3] return x * x", "[1, 4, 9]")]
    [InlineData("for i in 1..4 return if i = 1 then 1 else i * partial[-1]", "[1, 2, 6, 24]")]
    [InlineData("some x in [1, 5, 9] satisfies x > 8", "true")]
    [InlineData("every x in [1, 5, 9] satisfies x > 1", "false")]
    [InlineData("if 3 > 2 then \"yes\" else \"no\"", "\"yes\"")]
    [InlineData("5 between 1 and 10", "true")]
    [InlineData("5 in [1..5)", "false")]
    [InlineData("\"b\" in (\"a\", \"b\")", "true")]
    [InlineData("5 in < 10", "true")]
    [InlineData("[1, 2] instance of list<number>", "true")]
    [InlineData("\"x\" instance of number", "false")]
    [InlineData("(function(a, b) a - b)(b: 1, a: 10)", "9")]
    public void Lists_contexts_iteration_and_tests(string text, string expected) => Assert.Equal(expected, Text(text));

    [Theory]
    [InlineData("substring(string: \"incident\", start position: 3)", "\"cident\"")]
    [InlineData("substring(\"incident\", 1, 3)", "\"inc\"")]
    [InlineData("upper case(\"p1\")", "\"P1\"")]
    [InlineData("replace(\"web-01\", \"(\\w+)-(\\d+)\", \"$2:$1\")", "\"01:web\"")]
    [InlineData("matches(\"DB-7\", \"^db\", \"i\")", "true")]
    [InlineData("split(\"a,b,,c\", \",\")", "[\"a\", \"b\", \"\", \"c\"]")]
    [InlineData("string join([\"a\", \"b\"], \"/\")", "\"a/b\"")]
    [InlineData("sum([1, 2, 3])", "6")]
    [InlineData("max(3, 9, 4)", "9")]
    [InlineData("mean([1, 2, 3, 4])", "2.5")]
    [InlineData("sort([3, 1, 2], function(x, y) x > y)", "[3, 2, 1]")]
    [InlineData("distinct values([1, 2, 1, 3])", "[1, 2, 3]")]
    [InlineData("flatten([1, [2, [3]]])", "[1, 2, 3]")]
    [InlineData("index of([\"a\", \"b\", \"a\"], \"a\")", "[1, 3]")]
    [InlineData("decimal(2.675, 2)", "2.68")]
    [InlineData("round half down(2.5, 0)", "2")]
    [InlineData("floor(-1.5)", "-2")]
    [InlineData("modulo(-7, 3)", "2")]
    [InlineData("number(\"1.000,5\", \".\", \",\")", "1000.5")]
    [InlineData("get value({a: 1}, \"a\")", "1")]
    [InlineData("context put({a: 1}, \"b\", 2)", "{a: 1, b: 2}")]
    [InlineData("before(1, [2..5])", "true")]
    [InlineData("overlaps([1..5], [4..9])", "true")]
    [InlineData("day of week(date(\"2026-12-07\"))", "\"Monday\"")]
    public void Built_in_functions_with_positional_and_named_arguments(string text, string expected) => Assert.Equal(expected, Text(text));

    [Fact]
    public void Names_with_spaces_and_symbols_come_from_the_scope()
    {
        Assert.Equal("3", Text("Open incidents + 1", ("Open incidents", 2m)));
        Assert.Equal("7", Text("Hosts-in-scope * 7", ("Hosts-in-scope", 1m)));
    }

    [Fact]
    public void A_syntax_error_names_where_reading_stopped()
    {
        var error = Assert.Throws<FeelSyntaxException>(() => FeelParser.Expression("1 + (2 * 3"));
        Assert.Contains("expected ')'", error.Message, StringComparison.Ordinal);
        Assert.Equal(10, error.Position);
    }

    [Fact]
    public void The_same_text_is_parsed_once()
    {
        var first = FeelParser.Expression("count([1, 2, 3]) + 41");
        var second = FeelParser.Expression("count([1, 2, 3]) + 41");
        Assert.Same(first, second);
    }
}
