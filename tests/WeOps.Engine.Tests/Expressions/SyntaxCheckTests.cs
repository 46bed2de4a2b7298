using WeOps.Engine.Expressions;
using WeOps.Engine.Validation;

namespace WeOps.Engine.Tests.Expressions;

public sealed class SyntaxCheckTests
{
    private readonly IExpressionSyntax syntax = new ExpressionEvaluator();

    [Theory]
    [InlineData("count > 3")]
    [InlineData("${count > 3}")]
    [InlineData("{a: 1}")]
    [InlineData("items.filter(function (i) { return i.ok; }).length // how many")]
    public void Valid_expression_has_no_problem(string expression) => Assert.Null(syntax.CheckExpression(expression));

    [Theory]
    [InlineData("a + )", "line 1, column 5: Unexpected token ')'")]
    [InlineData("a +", "line 1, column 4: Unexpected end of input")]
    [InlineData("a\n  + * b", "line 2, column 5: Unexpected token '*'")]
    [InlineData("${a + )}", "line 1, column 7: Unexpected token ')'")]
    [InlineData("var x = 1", "line 1, column 1: Unexpected token 'var'")]
    [InlineData("1); while (true) {}; (1", "line 1, column 1: it is more than one expression")]
    [InlineData("  ", "line 1, column 1: the expression is empty")]
    [InlineData("'open", "line 1, column 1: Invalid or unexpected token")]
    public void Expression_problem_names_line_and_column(string expression, string problem) =>
        Assert.Equal(problem, syntax.CheckExpression(expression));

    [Theory]
    [InlineData("Restart ${host} on ${alert.labels['instance']}")]
    [InlineData("no parts at all")]
    [InlineData("$${not code}")]
    public void Valid_template_has_no_problem(string template) => Assert.Null(syntax.CheckTemplate(template));

    [Theory]
    [InlineData("Restart ${host + )} now", "line 1, column 18: Unexpected token ')'")]
    [InlineData("ok ${a}\nthen ${b c}", "line 2, column 10: Unexpected identifier 'c'")]
    [InlineData("Hello ${name", "line 1, column 7: '${' is not closed by a '}'")]
    [InlineData("Hello ${ 'name }", "line 1, column 7: '${' is not closed by a '}'")]
    [InlineData("x ${}", "line 1, column 5: the expression is empty")]
    public void Template_problem_is_placed_in_the_template(string template, string problem) =>
        Assert.Equal(problem, syntax.CheckTemplate(template));

    [Fact]
    public void Valid_script_has_no_problem() =>
        Assert.Null(syntax.CheckScript("var total = 0;\nfor (var i = 0; i < items.length; i++) { total += items[i]; }"));

    [Theory]
    [InlineData("var x = 1;\nvar y = ;", "line 2, column 9: Unexpected token ';'")]
    [InlineData("if (a) {", "line 1, column 9: Unexpected end of input")]
    [InlineData("var f = x => ;", "line 1, column 14: Unexpected token ';'")]
    public void Script_problem_names_line_and_column(string script, string problem) =>
        Assert.Equal(problem, syntax.CheckScript(script));

    [Fact]
    public void Deeply_nested_code_is_checked_without_overflowing_the_stack()
    {
        var nested = new string('(', 20_000) + "1" + new string(')', 20_000);

        Assert.Null(syntax.CheckScript(nested));
        Assert.Equal("line 1, column 1: it is longer than 100000 characters", syntax.CheckScript(new string(' ', 100_001)));
    }
}
