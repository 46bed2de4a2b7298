using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Expressions;

namespace WeOps.Engine.Tests.Expressions;

public sealed class EvaluateTests
{
    private readonly ExpressionEvaluator evaluator = new();

    [Fact]
    public void Variables_are_globals_of_every_json_type()
    {
        var vars = Variables.From("""{"n": 2, "s": "x", "b": true, "z": null, "o": {"k": [1, 2.5]}, "a": ["p"]}""");

        var result = evaluator.Evaluate("[n + 1, s + s, !b, z === null, o.k[1] * 2, a.length, typeof o]", vars);

        Assert.Equal("""[3,"xx",false,true,5,1,"object"]""", result!.ToJsonString());
    }

    [Fact]
    public void Value_wrapped_whole_in_a_template_is_accepted() =>
        Assert.Equal(7, evaluator.Evaluate(" ${ n + 4 } ", Variables.From("""{"n": 3}"""))!.GetValue<int>());

    [Fact]
    public void Object_literal_is_an_expression() =>
        Assert.Equal("""{"a":1,"b":[true]}""", evaluator.Evaluate("{a: 1, b: [true]}", Variables.None)!.ToJsonString());

    [Theory]
    [InlineData("undefined")]
    [InlineData("null")]
    [InlineData("void 0")]
    public void Undefined_and_null_give_null(string expression) => Assert.Null(evaluator.Evaluate(expression, Variables.None));

    [Theory]
    [InlineData("4 / 2", "2")]
    [InlineData("-0", "0")]
    [InlineData("1.5 * 3", "4.5")]
    [InlineData("Math.pow(2, 53) - 1", "9007199254740991")]
    [InlineData("1e21", "1E+21")]
    public void Numbers_keep_their_shortest_form(string expression, string json) =>
        Assert.Equal(json, evaluator.Evaluate(expression, Variables.None)!.ToJsonString());

    [Fact]
    public void Results_read_with_any_numeric_type()
    {
        var result = evaluator.Evaluate("40 + 2", Variables.None)!;

        Assert.Equal(42, result.GetValue<int>());
        Assert.Equal(42L, result.GetValue<long>());
        Assert.Equal(42d, result.GetValue<double>());
    }

    [Fact]
    public void Dates_become_iso_text()
    {
        var result = evaluator.Evaluate("{at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))}", Variables.None);

        Assert.Equal("""{"at":"2024-01-02T03:04:05.006Z"}""", result!.ToJsonString());
    }

    [Fact]
    public void Functions_and_undefined_inside_values_are_left_out_as_json_does() =>
        Assert.Equal("""{"a":[null,null,1]}""", evaluator.Evaluate("{a: [undefined, Math.max, 1], f: Math.max, u: undefined}", Variables.None)!.ToJsonString());

    [Theory]
    [InlineData("0 / 0", "is NaN")]
    [InlineData("{x: 1 / 0}", "is Infinity")]
    [InlineData("Math.max", "is a function")]
    [InlineData("(o = {}, o.self = o, o)", "holds itself")]
    public void Values_json_cannot_hold_are_errors(string expression, string cause)
    {
        var e = Assert.Throws<ExpressionException>(() => evaluator.Evaluate(expression, Variables.None));

        Assert.Contains(cause, e.Message);
    }

    [Fact]
    public void Result_larger_than_the_limit_is_an_error()
    {
        var small = new ExpressionEvaluator(ExpressionLimits.Default with { MaxResultBytes = 1000 });

        Assert.Equal(900, small.Evaluate("new Array(901).join('x')", Variables.None)!.GetValue<string>().Length);
        var e = Assert.Throws<ExpressionException>(() => small.Evaluate("new Array(1001).join('x')", Variables.None));
        Assert.Contains("larger than 1,000 bytes of JSON: the result size limit (Expressions:MaxResultBytes)", e.Message);
        e = Assert.Throws<ExpressionException>(() => small.Evaluate("new Array(300).join('x,').split(',')", Variables.None));
        Assert.Contains("larger than 1,000 bytes of JSON: the result size limit (Expressions:MaxResultBytes)", e.Message);
    }

    [Fact]
    public void Missing_variable_error_names_it()
    {
        var e = Assert.Throws<ExpressionException>(() => evaluator.Evaluate("severity == 'critical'", Variables.None));

        Assert.Equal("Expression 'severity == 'critical'' failed: ReferenceError: severity is not defined", e.Message);
        Assert.Equal("severity == 'critical'", e.Expression);
    }

    [Fact]
    public void Reading_through_undefined_says_which_property()
    {
        var e = Assert.Throws<ExpressionException>(() => evaluator.Evaluate("a.b.c", Variables.From("""{"a": {}}""")));

        Assert.Equal("Expression 'a.b.c' failed: TypeError: Cannot read properties of undefined (reading 'c')", e.Message);
    }

    [Theory]
    [InlineData("(function () { throw new Error('disk full'); })()", "Error: disk full")]
    [InlineData("(function () { throw 'boom'; })()", "it threw \"boom\"")]
    [InlineData("(function () { throw {message: 'bad', code: 7}; })()", "it threw {\"message\":\"bad\",\"code\":7}")]
    public void Thrown_values_are_described(string expression, string cause) =>
        Assert.EndsWith("failed: " + cause, Assert.Throws<ExpressionException>(() => evaluator.Evaluate(expression, Variables.None)).Message);

    [Fact]
    public void Long_expressions_are_shortened_in_messages()
    {
        var expression = "missing + '" + new string('x', 300) + "'";

        var e = Assert.Throws<ExpressionException>(() => evaluator.Evaluate(expression, Variables.None));

        Assert.StartsWith("Expression 'missing + 'xxx", e.Message);
        Assert.Contains("...' failed: ReferenceError: missing is not defined", e.Message);
        Assert.Equal(expression, e.Expression);
    }

    [Fact]
    public void Syntax_error_is_an_expression_exception_with_its_position() =>
        Assert.Equal("Expression 'a + )' failed: line 1, column 5: Unexpected token ')'",
            Assert.Throws<ExpressionException>(() => evaluator.Evaluate("a + )", Variables.None)).Message);

    [Fact]
    public void Input_variables_are_not_changed_by_an_expression()
    {
        var vars = Variables.From("""{"o": {"n": 1}}""");

        evaluator.Evaluate("o.n = 2", vars);

        Assert.Equal("""{"n":1}""", vars["o"]!.ToJsonString());
    }

    [Fact]
    public void Variables_built_in_code_of_any_backing_type_convert()
    {
        var vars = new Dictionary<string, JsonNode?>
        {
            ["i"] = JsonValue.Create(3),
            ["l"] = JsonValue.Create(4L),
            ["m"] = JsonValue.Create(1.5m),
            ["g"] = JsonValue.Create(Guid.Empty),
            ["o"] = new JsonObject { ["k"] = new JsonArray(1, "two") },
        };

        var result = evaluator.Evaluate("[i + l + m, g.length, o.k[1]]", vars);

        Assert.Equal("""[8.5,36,"two"]""", result!.ToJsonString());
    }

    [Fact]
    public void Culture_and_time_zone_are_fixed()
    {
        var result = evaluator.Evaluate("[(1234.5).toFixed(1), new Date(0).getHours(), new Date(0).getTimezoneOffset()]", Variables.None);

        Assert.Equal("""["1234.5",0,0]""", result!.ToJsonString());
        Assert.Equal(JsonValueKind.Array, result.GetValueKind());
    }
}
