using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Expressions;

namespace WeOps.Engine.Tests.Expressions;

public sealed class TemplateTests
{
    private readonly ExpressionEvaluator evaluator = new();
    private static readonly IReadOnlyDictionary<string, JsonNode?> Vars = Variables.From("""
        {"count": 5, "ratio": 0.5, "ok": true, "host": "web-1", "nothing": null,
         "alert": {"labels": {"severity": "critical", "instance": "10.0.0.7:9100"}},
         "hosts": ["a", "b"]}
        """);

    [Theory]
    [InlineData("${count}", "5", JsonValueKind.Number)]
    [InlineData("${count * 2}", "10", JsonValueKind.Number)]
    [InlineData("${ratio}", "0.5", JsonValueKind.Number)]
    [InlineData("${ok}", "true", JsonValueKind.True)]
    [InlineData("${count > 9}", "false", JsonValueKind.False)]
    [InlineData("${alert.labels}", """{"severity":"critical","instance":"10.0.0.7:9100"}""", JsonValueKind.Object)]
    [InlineData("${hosts}", """["a","b"]""", JsonValueKind.Array)]
    [InlineData("${host}", "\"web-1\"", JsonValueKind.String)]
    public void Lone_expression_keeps_its_json_type(string template, string json, JsonValueKind kind)
    {
        var result = evaluator.EvaluateTemplate(template, Vars);

        Assert.NotNull(result);
        Assert.Equal(kind, result.GetValueKind());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), result), result.ToJsonString());
    }

    [Theory]
    [InlineData("${nothing}")]
    [InlineData("${alert.labels.missing}")]
    public void Lone_expression_giving_null_or_undefined_is_null(string template) =>
        Assert.Null(evaluator.EvaluateTemplate(template, Vars));

    [Fact]
    public void Whole_numbers_stay_integers_and_read_as_int()
    {
        var result = evaluator.EvaluateTemplate("${count / 5 * 2}", Vars)!;

        Assert.Equal("2", result.ToJsonString());
        Assert.Equal(2, result.GetValue<int>());
    }

    [Theory]
    [InlineData("Restart ${host} now", "Restart web-1 now")]
    [InlineData(" ${count}", " 5")]
    [InlineData("${count}${ok}", "5true")]
    [InlineData("${host}:${count * ratio}", "web-1:2.5")]
    [InlineData("[${nothing}|${alert.nope}]", "[|]")]
    [InlineData("labels=${alert.labels}", """labels={"severity":"critical","instance":"10.0.0.7:9100"}""")]
    [InlineData("hosts=${hosts}", """hosts=["a","b"]""")]
    [InlineData("${0.1 + 0.2}!", "0.30000000000000004!")]
    [InlineData("at ${new Date(0)}", "at 1970-01-01T00:00:00.000Z")]
    public void Mixed_template_is_a_string(string template, string expected)
    {
        var result = evaluator.EvaluateTemplate(template, Vars);

        Assert.Equal(JsonValueKind.String, result!.GetValueKind());
        Assert.Equal(expected, result.GetValue<string>());
    }

    [Theory]
    [InlineData("${ {a: {b: count}}.a.b }", "5")]
    [InlineData("${ '}' + host }", "}web-1")]
    [InlineData("${ \"{\" + '}}' }", "{}}")]
    [InlineData("${ 'it\\'s }' }", "it's }")]
    [InlineData("${ 'a}b}c'.replace(/}/g, '') }", "abc")]
    [InlineData("${ count /* } */ + 1 }", "6")]
    [InlineData("${ JSON.stringify({x: [1, {y: 2}]}) }", """{"x":[1,{"y":2}]}""")]
    [InlineData("${ count / 5 / 1 }", "1")]
    public void Braces_inside_strings_objects_comments_and_regexes_do_not_end_a_part(string template, string expected) =>
        Assert.Equal(expected, Text(evaluator.EvaluateTemplate(template, Vars)));

    [Theory]
    [InlineData("Cost: $${price}", "Cost: ${price}")]
    [InlineData("$${count} is ${count}", "${count} is 5")]
    [InlineData("$$${count}", "$${count}")]
    [InlineData("5$ and $ {x}", "5$ and $ {x}")]
    public void Double_dollar_escapes_a_literal_part(string template, string expected) =>
        Assert.Equal(expected, evaluator.EvaluateTemplate(template, Vars)!.GetValue<string>());

    [Theory]
    [InlineData("systemctl restart nginx")]
    [InlineData("")]
    [InlineData("{ \"json\": true }")]
    public void Text_without_a_part_is_a_literal_string(string template)
    {
        var result = evaluator.EvaluateTemplate(template, Variables.None);

        Assert.Equal(JsonValueKind.String, result!.GetValueKind());
        Assert.Equal(template, result.GetValue<string>());
    }

    [Theory]
    [InlineData("${a}", true)]
    [InlineData("x ${a} y", true)]
    [InlineData("${unclosed", true)]
    [InlineData("$${escaped}", false)]
    [InlineData("$$${a}", false)]
    [InlineData("plain $ text {}", false)]
    [InlineData("", false)]
    public void IsTemplate_finds_unescaped_parts(string text, bool expected) =>
        Assert.Equal(expected, ExpressionEvaluator.IsTemplate(text));

    [Fact]
    public void Unclosed_part_is_an_error_naming_its_position()
    {
        var e = Assert.Throws<ExpressionException>(() => evaluator.EvaluateTemplate("Hello ${name", Vars));

        Assert.Contains("line 1, column 7: '${' is not closed", e.Message);
    }

    [Fact]
    public void Failing_part_names_the_part()
    {
        var e = Assert.Throws<ExpressionException>(() => evaluator.EvaluateTemplate("to ${alert.nope.deeper} now", Vars));

        Assert.Equal("alert.nope.deeper", e.Expression);
        Assert.Equal("Expression 'alert.nope.deeper' failed: TypeError: Cannot read properties of undefined (reading 'deeper')", e.Message);
    }

    [Fact]
    public void Function_value_in_a_template_is_an_error() =>
        Assert.Contains("is a function", Assert.Throws<ExpressionException>(() => evaluator.EvaluateTemplate("x ${host.toUpperCase}", Vars)).Message);

    [Fact]
    public void NaN_in_a_template_is_an_error() =>
        Assert.Contains("NaN", Assert.Throws<ExpressionException>(() => evaluator.EvaluateTemplate("n=${count * 'x'}", Vars)).Message);

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node?.ToJsonString();
}
