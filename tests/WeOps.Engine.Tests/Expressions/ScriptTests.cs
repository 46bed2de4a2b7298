using System.Text.Json.Nodes;
using WeOps.Engine.Expressions;

namespace WeOps.Engine.Tests.Expressions;

public sealed class ScriptTests
{
    private readonly ExpressionEvaluator evaluator = new();

    [Fact]
    public void Created_and_changed_variables_are_reported_and_unchanged_ones_are_not()
    {
        var vars = Variables.From("""{"count": 1, "same": "x", "config": {"retries": 2}, "untouched": [1]}""");

        var result = evaluator.RunScript("""
            count = count + 1;
            same = 'x';
            config.retries = 2;
            var summary = 'count is ' + count;
            hosts = ['a', 'b'];
            """, vars);

        Assert.Equal(["count", "summary", "hosts"], result.ChangedVariables.Keys);
        Assert.Equal(2, result.ChangedVariables["count"]!.GetValue<int>());
        Assert.Equal("count is 2", result.ChangedVariables["summary"]!.GetValue<string>());
        Assert.Equal("""["a","b"]""", result.ChangedVariables["hosts"]!.ToJsonString());
    }

    [Fact]
    public void Changes_inside_an_object_variable_are_reported()
    {
        var vars = Variables.From("""{"ticket": {"status": "open", "notes": []}}""");

        var result = evaluator.RunScript("ticket.status = 'closed'; ticket.notes.push('done');", vars);

        Assert.Equal("""{"status":"closed","notes":["done"]}""", result.ChangedVariables["ticket"]!.ToJsonString());
        Assert.Equal("""{"status":"open","notes":[]}""", vars["ticket"]!.ToJsonString());
    }

    [Fact]
    public void Functions_undefined_and_deleted_variables_are_not_reported()
    {
        var vars = Variables.From("""{"gone": 1}""");

        var result = evaluator.RunScript("""
            function helper(x) { return x * 2; }
            var declared;
            cleared = undefined;
            delete gone;
            doubled = helper(21);
            """, vars);

        Assert.Equal(["doubled"], result.ChangedVariables.Keys);
        Assert.Equal(42, result.ChangedVariables["doubled"]!.GetValue<int>());
    }

    [Fact]
    public void Variable_set_to_null_is_reported_as_null()
    {
        var result = evaluator.RunScript("owner = null;", Variables.From("""{"owner": "ann"}"""));

        Assert.True(result.ChangedVariables.ContainsKey("owner"));
        Assert.Null(result.ChangedVariables["owner"]);
    }

    [Fact]
    public void Completion_value_is_the_last_expression_statement()
    {
        var result = evaluator.RunScript("var total = 0; for (var i = 1; i <= 4; i++) { total += i; } total * 10;", Variables.None);

        Assert.Equal(100, result.Value!.GetValue<int>());
    }

    [Fact]
    public void Script_ending_in_a_function_has_no_value() =>
        Assert.Null(evaluator.RunScript("var f = function () {}; f;", Variables.None).Value);

    [Fact]
    public void Empty_script_does_nothing()
    {
        var result = evaluator.RunScript("", Variables.None);

        Assert.Null(result.Value);
        Assert.Empty(result.ChangedVariables);
    }

    [Fact]
    public void Variables_reached_through_this_are_defined_even_when_not_named()
    {
        var vars = Variables.From("""{"alert-id": "a1"}""");

        var result = evaluator.RunScript("this['alert-id'] = this['alert-id'] + '!'; copy = this['alert-id'];", vars);

        Assert.Equal("a1!", result.ChangedVariables["alert-id"]!.GetValue<string>());
        Assert.Equal("a1!", result.ChangedVariables["copy"]!.GetValue<string>());
    }

    [Fact]
    public void Variable_json_cannot_hold_is_an_error_naming_it()
    {
        var e = Assert.Throws<ExpressionException>(() => evaluator.RunScript("ratio = 1 / 0; 'done';", Variables.None));

        Assert.Contains("variable 'ratio' is Infinity", e.Message);
        Assert.StartsWith("Script 'ratio = 1 / 0; 'done';' failed:", e.Message);
    }

    [Fact]
    public void Runtime_error_in_a_script_names_its_line()
    {
        var e = Assert.Throws<ExpressionException>(() => evaluator.RunScript("var a = 1;\nvar b = 2;\nmissing();", Variables.None));

        Assert.EndsWith("failed: ReferenceError: missing is not defined (line 3)", e.Message);
    }

    [Fact]
    public void Script_syntax_error_names_line_and_column() =>
        Assert.EndsWith("failed: line 2, column 9: Unexpected token ';'",
            Assert.Throws<ExpressionException>(() => evaluator.RunScript("var x = 1;\nvar y = ;", Variables.None)).Message);

    [Fact]
    public void Unreferenced_large_variables_are_not_converted_or_reported()
    {
        var big = new JsonArray();
        for (var i = 0; i < 50_000; i++) big.Add(new JsonObject { ["i"] = i });
        var vars = new Dictionary<string, JsonNode?> { ["log"] = big, ["n"] = 1 };

        var result = evaluator.RunScript("n = n + 1;", vars);

        Assert.Equal(["n"], result.ChangedVariables.Keys);
    }
}
