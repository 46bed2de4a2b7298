using WeOps.Engine.Expressions;

namespace WeOps.Engine.Tests.Expressions;

public sealed class SandboxTests
{
    private readonly ExpressionEvaluator evaluator = new();

    [Theory]
    [InlineData("typeof System")]
    [InlineData("typeof importNamespace")]
    [InlineData("typeof require")]
    [InlineData("typeof setTimeout")]
    [InlineData("typeof XMLHttpRequest")]
    public void Nothing_outside_standard_javascript_is_reachable(string expression) =>
        Assert.Equal("undefined", evaluator.Evaluate(expression, Variables.None)!.GetValue<string>());

    [Fact]
    public void Clr_namespaces_are_not_reachable()
    {
        var e = Assert.Throws<ExpressionException>(() => evaluator.Evaluate("System.IO.File.ReadAllText('/etc/passwd')", Variables.None));

        Assert.Contains("ReferenceError: System is not defined", e.Message);
        Assert.Contains("importNamespace is not defined",
            Assert.Throws<ExpressionException>(() => evaluator.Evaluate("importNamespace('System.IO')", Variables.None)).Message);
    }

    [Theory]
    [InlineData("eval('1 + 1')")]
    [InlineData("Function('return 1')()")]
    [InlineData("(function () {}).constructor('return 1')()")]
    [InlineData("[].map.constructor('return 1')()")]
    public void Code_cannot_be_made_from_strings(string expression) =>
        Assert.Contains("EvalError", Assert.Throws<ExpressionException>(() => evaluator.Evaluate(expression, Variables.None)).Message);

    [Fact]
    public void Function_still_works_with_instanceof_and_typeof() =>
        Assert.Equal("[true,\"function\"]", evaluator.Evaluate("[Math.max instanceof Function, typeof Function]", Variables.None)!.ToJsonString());

    [Fact]
    public void Infinite_loop_is_stopped_at_the_timeout()
    {
        // Each round costs some microseconds, so that the time limit comes long before the statement limit, and
        // memory is plenty, so that the allocations of the rounds do not reach it first.
        var quick = new ExpressionEvaluator(new ExpressionLimits(TimeSpan.FromMilliseconds(50), 170_000, 256, 1024, 8L * 1024 * 1024 * 1024));
        const string script = "while (true) { Array.from({ length: 1000 }); }";

        var e = Assert.Throws<ExpressionException>(() => quick.RunScript(script, Variables.None));

        Assert.Equal($"Script '{script}' stopped after 50 ms: the expression time limit (Expressions:Timeout)", e.Message);
    }

    [Fact]
    public void Long_loop_is_stopped_at_the_statement_limit()
    {
        var small = new ExpressionEvaluator(ExpressionLimits.Default with { MaxStatements = 1000 });

        var e = Assert.Throws<ExpressionException>(() => small.RunScript("for (var i = 0; i < 1e9; i++) {}", Variables.None));

        Assert.EndsWith("stopped after 1,000 statements: the statement limit (Expressions:MaxStatements)", e.Message);
    }

    [Fact]
    public void Infinite_loop_in_an_expression_is_stopped_with_the_default_limits() =>
        Assert.Contains("stopped after 100,000 statements: the statement limit (Expressions:MaxStatements)",
            Assert.Throws<ExpressionException>(() => evaluator.Evaluate("(function () { while (true) {} })()", Variables.None)).Message);

    [Fact]
    public void Infinite_recursion_is_stopped_at_the_recursion_limit()
    {
        var e = Assert.Throws<ExpressionException>(() => evaluator.RunScript("function f(n) { return f(n + 1) + 1; } f(0);", Variables.None));

        Assert.EndsWith("stopped at 256 nested calls: the recursion limit (Expressions:MaxRecursion)", e.Message);
    }

    [Theory]
    [InlineData("var o = { get x() { return this.x; } }; o.x;")]
    [InlineData("var o = { valueOf: function () { return +o; } }; +o;")]
    [InlineData("var o = {}; o.toString = function () { return 'x' + o; }; '' + o;")]
    public void Recursion_through_getters_and_conversions_is_stopped_at_a_limit_without_overflowing_the_stack(string script)
    {
        // A generous time limit: on a loaded machine 20,000 nested calls can outlast the default one, and the
        // statement limit is what this is about.
        var small = new ExpressionEvaluator(ExpressionLimits.Default with { MaxStatements = 20_000, Timeout = TimeSpan.FromSeconds(60) });

        var e = Assert.Throws<ExpressionException>(() => small.RunScript(script, Variables.None));

        // Jint 4 counts a getter's calls against the recursion limit; the others only the statements see.
        Assert.Matches(@"stopped (after 20,000 statements: the statement limit \(Expressions:MaxStatements\)|at 256 nested calls: the recursion limit \(Expressions:MaxRecursion\))$", e.Message);
    }

    [Theory]
    [InlineData("(a = [1], a.push(a), a.join('-'))", "1-")]
    [InlineData("(a = [1], a.push([2, a]), String(a))", "1,2,")]
    [InlineData("(a = ['x'], a.push(a), a.toLocaleString())", "x,")]
    public void Array_holding_itself_joins_like_a_browser_instead_of_overflowing(string expression, string expected) =>
        Assert.Equal(expected, evaluator.Evaluate(expression, Variables.None)!.GetValue<string>());

    [Theory]
    [InlineData("(e = new Error('x'), e.name = e, String(e))")]
    [InlineData("(o = {}, o.toString = Object.prototype.toLocaleString, String(o))")]
    [InlineData("(o = {}, o.toISOString = Date.prototype.toJSON, o.toISOString())")]
    [InlineData("(e = new Error('x'), e.message = e, String(e))")]
    public void Built_ins_calling_themselves_stop_at_the_recursion_limit_instead_of_overflowing_the_stack(string expression) =>
        Assert.Contains("the recursion limit (Expressions:MaxRecursion)",
            Assert.Throws<ExpressionException>(() => evaluator.Evaluate(expression, Variables.None)).Message);

    [Fact]
    public void Flattening_an_array_that_holds_itself_stops_at_the_depth_a_variable_may_have() =>
        Assert.Equal(258, evaluator.Evaluate("(a = [1], a.push(a), a.flat(Infinity).length)", Variables.None)!.GetValue<int>());

    [Fact]
    public void Nothing_leaks_from_one_evaluation_to_the_next()
    {
        evaluator.RunScript("leaked = 1; Object.prototype.polluted = 2; Math.max = function () { return 3; };", Variables.None);

        var result = evaluator.Evaluate("[typeof leaked, ({}).polluted, Math.max(1, 4)]", Variables.None);

        Assert.Equal("""["undefined",null,4]""", result!.ToJsonString());
    }

    [Fact]
    public void Regular_expression_literal_keeps_no_state_between_runs()
    {
        // Jint caches the RegExp of a literal in the syntax tree; a shared tree would count 1, 2, 3.
        const string script = "var r = /a/; r.seen = (r.seen || 0) + 1; r.seen;";

        var seen = Enumerable.Range(0, 3).Select(_ => evaluator.RunScript(script, Variables.None).Value!.GetValue<int>());

        Assert.Equal([1, 1, 1], seen);
    }

    [Fact]
    public void Catastrophic_regular_expression_is_stopped_within_the_limits()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<ExpressionException>(() =>
            new ExpressionEvaluator().Evaluate("/^(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')", new Dictionary<string, System.Text.Json.Nodes.JsonNode?>()));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        Assert.Contains("stopped", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Math_random_works() =>
        Assert.True(evaluator.EvaluateCondition("(r = Math.random(), r >= 0 && r < 1)", Variables.None));

    [Fact]
    public void Script_thread_gives_up_on_work_that_outlives_the_wait()
    {
        var e = Record.Exception(() => ScriptThread.Run(() => { Thread.Sleep(3000); return 0; }, 1024 * 1024, TimeSpan.FromMilliseconds(100)));

        Assert.IsType<TimeoutException>(e);
    }

    [Fact]
    public void Script_thread_passes_errors_on() =>
        Assert.Throws<InvalidOperationException>(() => ScriptThread.Run<int>(() => throw new InvalidOperationException(), 1024 * 1024, TimeSpan.FromSeconds(10)));

    [Fact]
    public void A_script_thread_runs_at_a_lower_CPU_priority_than_the_thread_that_waits_for_it()
    {
        if (!OperatingSystem.IsLinux()) return;

        var callerNice = NiceOfThisThread();

        var scriptNice = ScriptThread.Run(NiceOfThisThread, 1024 * 1024, TimeSpan.FromSeconds(10));

        // A caller already below that priority keeps its own: raising the priority back would need a privilege.
        Assert.Equal(Math.Max(ScriptThread.Nice, callerNice), scriptNice);
        Assert.Equal(callerNice, NiceOfThisThread());
    }

    /// <summary>Field 19 of /proc/thread-self/stat, counted after the command name in parentheses (field 2).</summary>
    private static int NiceOfThisThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Limits_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpressionEvaluator(ExpressionLimits.Default with { Timeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpressionEvaluator(ExpressionLimits.Default with { MaxStatements = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpressionEvaluator(ExpressionLimits.Default with { MaxStatements = 10_000_000 }));
    }
}
