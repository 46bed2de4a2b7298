using System.Text.Json.Nodes;
using WeOps.Engine.Expressions;

namespace WeOps.Engine.Tests.Expressions;

/// <summary>Simple expressions are read straight from the variables; these pin that doing so gives exactly what
/// an engine gives, and which expressions take that path.</summary>
public sealed class DirectEvaluationTests
{
    private static readonly ExpressionEvaluator Usual = new();
    private static readonly ExpressionEvaluator EngineOnly = new() { Paths = ExpressionPaths.EngineOnly };
    private static readonly ExpressionEvaluator DirectOnly = new() { Paths = ExpressionPaths.DirectOnly };

    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonNode?>> VariableSets =
        new Dictionary<string, IReadOnlyDictionary<string, JsonNode?>>
        {
            ["typical"] = Typical(),
            ["none"] = Variables.None,
            // The same names holding other types: what was a number is a string, an object is null, and so on.
            ["swapped"] = Variables.From("""
                {"n": "7", "result": "4", "zero": "", "negZero": false, "s": 5, "empty": 0, "u": null, "t": "true",
                 "f": 0, "nul": {}, "alert": null, "arr": "arr", "o": [1, 2], "a": {"b": {"0": {"c": "9"}}}, "ok": 1,
                 "tenth": "0.1", "fifth": [0.2], "high": 1, "emoji": 2, "num": 5, "big": "big", "huge": null}
                """),
            ["deep"] = new Dictionary<string, JsonNode?> { ["ok"] = true, ["n"] = 1, ["o"] = Nested(300), ["alert"] = Nested(200) },
        };

    public static readonly TheoryData<string> Expressions =
    [
        // Literals and variables of every type
        "1", "0", "-0", "1.5", "'text'", "''", "true", "false", "null", "1e21", "0x1f", "123456789012345680000",
        "9007199254740993", "2e-7", "0.1 + 0.2", "0/0", "1/0", "-1/0",
        "n", "zero", "negZero", "tenth", "big", "huge", "tiny", "maxLong", "dec", "s", "empty", "u", "t", "f", "nul",
        "alert", "arr", "o", "missing", "undefined", "NaN", "Infinity", "Math", "eval",
        // Members
        "alert.labels.severity", "alert['labels']['instance']", "alert.labels.missing", "alert.missing.deeper",
        "o.a.b[0]", "o.a.b[1].c", "o.a.b[2]", "o[0]", "o['0']", "o[1]", "o.toString", "o.valueOf", "o.constructor",
        "o.hasOwnProperty", "o.isPrototypeOf", "o.__proto__", "o.length", "o.a.k", "o.a.k.x", "o.empty", "o.empty.x",
        "arr[0]", "arr[1]", "arr[2]", "arr[3][0]", "arr[4].x", "arr[9]", "arr.length", "arr['0']", "arr[0.5]",
        "s.length", "s[0]", "n.x", "nul.x", "missing.x", "t.x", "ci.name", "ci.Name", "wrapped", "wrapped.a",
        "a.b[0].c", "a.b[0].c > 3 && ok",
        // Arithmetic
        "result % 2 == 0", "n % 2 == 0", "n % 0", "-n % 7", "negZero % 5", "n % -0", "huge % n", "n - 7", "(n - 7) * -1",
        "1 / negZero", "1 / (n - n)", "1 / -zero", "n * tenth", "tenth + fifth", "tenth + fifth === 0.3", "big + 1",
        "huge * 10", "huge * huge * huge * huge * huge * huge * huge * huge * huge * huge * huge * huge * huge * huge * huge",
        "n / 2", "n / 3", "-s", "+n", "+s", "-nul", "-empty", "+t", "-(-n)", "n + 1", "s + 'x'", "s + 1", "1 + s",
        "n + t", "t + t", "nul + 1", "s + u", "u + empty", "n - s", "s * 2", "n * nul", "maxLong - 1", "tiny * tiny",
        // Comparisons
        "n > 3", "n < 3", "n >= 7", "n <= 6.9", "n == 7", "n === 7", "n != 7", "n !== '7'", "n == '7'", "s == 'abc'",
        "s === 'abc'", "s < 'abd'", "s > 'ab'", "s <= 'abc'", "s >= 'abcd'", "high < emoji", "emoji < high", "u > s",
        "'' < s", "s < 1", "n < s", "0/0 < 1", "0/0 >= 0/0", "0/0 == 0/0", "0/0 != 0/0", "0/0 === 0/0", "0/0 !== 0/0",
        "zero === negZero", "zero == negZero", "nul == null", "nul == undefined", "nul === undefined", "nul !== null",
        "alert.missing == null", "alert.missing === undefined", "alert.missing != nul", "nul == 0", "zero == false",
        "t == 1", "t === true", "f != false", "t == f", "alert == alert", "alert === alert", "alert === 1", "arr == null",
        "arr === null", "alert.labels.severity == 'critical'", "alert.labels.severity != 'warning'", "num == 5",
        "num === '5'", "zeroText == 0", "t > f", "nul < 1", "big == 9007199254740992", "huge === 1e21",
        // Logic
        "t && n", "f && missing", "t || missing", "f || s", "zero || empty", "empty || 'fallback'", "nul && 1",
        "alert && alert.labels.severity", "arr || 1", "alert || n", "!alert", "!arr", "!empty", "!s", "!zero",
        "!negZero", "!(0/0)", "!nul", "!alert.missing", "!!u", "!missing", "!n", "t ? 'yes' : 'no'", "empty ? 1 : 2",
        "n > 3 ? n * 2 : missing", "nul ? missing : 'x'", "alert ? 1 : 2", "o.a.k ? 1 : o.a.b[1].c",
        "nul ?? 'x'", "u ?? n", "zero ?? 1", "empty ?? 'fallback'", "f ?? t", "alert.missing ?? s", "o.a.k ?? missing",
        "n ?? missing", "missing ?? 1", "alert?.labels", "(u ?? nul) ?? 'last'",
        // Outside the subset
        "x.toString()", "n.toString()", "[1, 2]", "{a: 1}", "typeof n", "'severity' in alert.labels",
        "alert instanceof Object", "n | 1", "n << 2", "n++", "void 0", "(n, s)", "this.n", "o[s]", "Math.max(n, 1)",
        "'abc'.length", "s.length > 2", "n = 5", "/b/.test(s)", "new Date(0)", "delete o.a",
    ];

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var expression in Expressions)
        {
            foreach (var set in VariableSets.Keys) cases.Add(expression, set);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gives_what_an_engine_gives(string expression, string set)
    {
        var variables = VariableSets[set];

        Assert.Equal(Outcome(() => EngineOnly.Evaluate(expression, variables)), Outcome(() => Usual.Evaluate(expression, variables)));
        Assert.Equal(Outcome(() => EngineOnly.EvaluateCondition(expression, variables)), Outcome(() => Usual.EvaluateCondition(expression, variables)));

        var lone = "${" + expression + "}";
        Assert.Equal(Outcome(() => EngineOnly.EvaluateTemplate(lone, variables)), Outcome(() => Usual.EvaluateTemplate(lone, variables)));

        var mixed = "at ${" + expression + "}: ${t}, ${n}.";
        Assert.Equal(Outcome(() => EngineOnly.EvaluateTemplate(mixed, variables)), Outcome(() => Usual.EvaluateTemplate(mixed, variables)));
    }

    [Fact]
    public void Random_expressions_give_what_an_engine_gives()
    {
        string[] leaves = ["n", "zero", "negZero", "tenth", "huge", "big", "s", "empty", "u", "emoji", "t", "f", "nul",
            "missing", "alert", "arr", "o.a.b[1].c", "arr[2]", "alert.labels.severity", "o.missing", "0", "-1", "2.5",
            "'abc'", "''", "'7'", "true", "null", "1e21"];
        string[] binary = ["+", "-", "*", "/", "%", "==", "!=", "===", "!==", "<", "<=", ">", ">=", "&&", "||", "??"];
        var random = new Random(20240611);
        string Next(int depth) => depth == 0 || random.Next(4) == 0
            ? leaves[random.Next(leaves.Length)]
            : random.Next(10) switch
            {
                0 => $"!({Next(depth - 1)})",
                1 => $"-({Next(depth - 1)})",
                2 => $"({Next(depth - 1)}) ? ({Next(depth - 1)}) : ({Next(depth - 1)})",
                _ => $"({Next(depth - 1)}) {binary[random.Next(binary.Length)]} ({Next(depth - 1)})",
            };

        var variables = Typical();
        for (var i = 0; i < 2000; i++)
        {
            var expression = Next(3);
            Assert.Equal(Outcome(() => EngineOnly.Evaluate(expression, variables)), Outcome(() => Usual.Evaluate(expression, variables)));
            Assert.Equal(Outcome(() => EngineOnly.EvaluateCondition(expression, variables)), Outcome(() => Usual.EvaluateCondition(expression, variables)));
            var mixed = "[${" + expression + "}]";
            Assert.Equal(Outcome(() => EngineOnly.EvaluateTemplate(mixed, variables)), Outcome(() => Usual.EvaluateTemplate(mixed, variables)));
        }
    }

    [Theory]
    [InlineData("result % 2 == 0")]
    [InlineData("${result % 2 == 0}")]
    [InlineData("alert.labels.severity == 'critical'")]
    [InlineData("a.b[0].c > 3 && ok")]
    [InlineData("!alert.missing || n > 3")]
    public void Simple_condition_needs_no_engine(string condition) =>
        Assert.True(DirectOnly.EvaluateCondition(condition, Typical()));

    [Theory]
    [InlineData("${n}", "7")]
    [InlineData("${alert.labels.severity}", "\"critical\"")]
    [InlineData("${o.a.b[1].c * 2}", "10")]
    [InlineData("${nul}", "null")]
    [InlineData("disk ${tenth * 100}% on ${alert.labels.instance}${nul}", "\"disk 10% on web-1\"")]
    [InlineData("${huge} ${t} ${tiny} ${negZero}", "\"1e+21 true 1e-7 0\"")]
    public void Simple_template_needs_no_engine(string template, string json)
    {
        var result = DirectOnly.EvaluateTemplate(template, Typical());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), result), result?.ToJsonString() ?? "null");
    }

    [Theory]
    [InlineData("x.toString()")]
    [InlineData("[1,2]")]
    [InlineData("Math.max(n, 1)")]
    [InlineData("typeof n")]
    public void Expression_outside_the_subset_is_not_compiled(string expression)
    {
        Assert.Null(ProgramCache.Shared.Expression(expression).Direct);
        Assert.Throws<InvalidOperationException>(() => DirectOnly.Evaluate(expression, Typical()));
    }

    [Theory]
    [InlineData("s + 1")]
    [InlineData("s.length")]
    [InlineData("missing == 1")]
    [InlineData("alert.toString")]
    [InlineData("arr[9]")]
    [InlineData("0/0")]
    [InlineData("alert")]
    public void Operands_outside_the_subset_leave_the_run_to_an_engine(string expression)
    {
        Assert.NotNull(ProgramCache.Shared.Expression(expression).Direct);
        Assert.Throws<InvalidOperationException>(() => DirectOnly.Evaluate(expression, Typical()));
    }

    [Fact]
    public void Condition_giving_something_else_than_a_boolean_is_worded_by_the_engine()
    {
        var e = Assert.Throws<ExpressionException>(() => Usual.EvaluateCondition("n % 2", Typical()));

        Assert.Equal("Condition 'n % 2' gave a number, not true or false", e.Message);
    }

    [Theory]
    [InlineData("${s} and ${s}")]
    [InlineData("${s + s + s + s}")]
    [InlineData("${u + u}")]
    public void Result_over_the_limit_is_refused_as_by_an_engine(string template)
    {
        var limits = ExpressionLimits.Default with { MaxResultBytes = 10 };

        var usual = Outcome(() => new ExpressionEvaluator(limits).EvaluateTemplate(template, Typical()));

        Assert.StartsWith(nameof(ExpressionException), usual, StringComparison.Ordinal);
        Assert.Equal(Outcome(() => new ExpressionEvaluator(limits) { Paths = ExpressionPaths.EngineOnly }.EvaluateTemplate(template, Typical())), usual);
    }

    private static Dictionary<string, JsonNode?> Typical()
    {
        var variables = Variables.From("""
            {"n": 7, "result": 4, "zero": 0, "negZero": -0, "tenth": 0.1, "fifth": 0.2, "big": 9007199254740993,
             "huge": 1e21, "tiny": 1e-7, "maxLong": 9223372036854775807, "dec": 1.0,
             "s": "abc", "empty": "", "u": "ünï😀", "num": "5", "zeroText": "0", "high": "\uffff", "emoji": "😀",
             "t": true, "f": false, "nul": null, "ok": true,
             "alert": {"labels": {"severity": "critical", "instance": "web-1"}},
             "o": {"a": {"b": [1, {"c": 5}], "k": null}, "0": "zero", "toString": "own", "empty": {}},
             "arr": [1, "two", null, [3], {"x": true}],
             "a": {"b": [{"c": 5}]}}
            """).ToDictionary();
        variables["ci"] = new JsonObject(new JsonNodeOptions { PropertyNameCaseInsensitive = true }) { ["Name"] = "x" };
        // A value holding a .NET object, not a JsonObject: an engine reads it as null.
        variables["wrapped"] = JsonValue.Create(new Dictionary<string, int> { ["a"] = 1 });
        return variables;
    }

    private static JsonObject Nested(int depth)
    {
        var root = new JsonObject();
        var node = root;
        for (var i = 0; i < depth; i++) node = (JsonObject)(node["a"] = new JsonObject());
        return root;
    }

    /// <summary>What a call gave, down to the type of node, or the exception it threw.</summary>
    private static string Outcome(Func<object?> call)
    {
        try
        {
            return call() switch
            {
                null => "null",
                JsonNode json => $"{json.GetType().Name} {json.GetValueKind()} {json.ToJsonString()}",
                var value => $"{value.GetType().Name} {value}",
            };
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }
}
