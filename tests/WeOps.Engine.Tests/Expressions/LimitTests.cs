using System.Diagnostics;
using System.Text.Json.Nodes;
using WeOps.Engine.Expressions;

namespace WeOps.Engine.Tests.Expressions;

/// <summary>Each limit holds for every evaluation, inside long built-in calls too, and the error names the limit
/// with its configuration key. The first three are the reproductions of code that stalled or bloated the server
/// with Jint 2.10.</summary>
public sealed class LimitTests
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    [Fact]
    public void Joining_a_huge_sparse_array_is_stopped_inside_the_join_at_the_time_or_memory_limit()
    {
        // One built-in call and no statement to stop between: Jint 2.10 ran it for over eleven minutes.
        var limits = ExpressionLimits.Default with { Timeout = TimeSpan.FromMilliseconds(200), MaxMemoryBytes = 1024L * 1024 * 1024 };
        var watch = Stopwatch.StartNew();

        var e = Assert.Throws<ExpressionException>(() =>
            new ExpressionEvaluator(limits).EvaluateTemplate("${new Array(200000000).join('ab').length}", Variables.None));

        Assert.True(watch.Elapsed < limits.Timeout + Slack, $"stopped after {watch.Elapsed}");
        Assert.Contains("stopped after 200 ms: the expression time limit (Expressions:Timeout)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_two_million_item_join_ends_within_the_default_limits()
    {
        var watch = Stopwatch.StartNew();

        var outcome = Record.Exception(() => new ExpressionEvaluator().EvaluateTemplate("${new Array(2000000).join('ab').length}", Variables.None));

        // Either it is fast enough to finish (4 MB of text), or a limit that names itself stops it.
        Assert.True(watch.Elapsed < ExpressionLimits.Default.Timeout + Slack, $"took {watch.Elapsed}");
        if (outcome is not null) Assert.Matches(@"the (expression time|memory) limit \(Expressions:", outcome.Message);
    }

    [Fact]
    public void Joining_thirty_thousand_hosts_is_fast()
    {
        // Quadratic in Jint 2.10: 20,000 hosts took 4.9 s, 30,000 stalled a signed hook for 10.5 s.
        var hosts = new JsonArray([.. Enumerable.Range(0, 30_000).Select(i => (JsonNode?)$"web-{i}")]);
        var variables = new Dictionary<string, JsonNode?> { ["hosts"] = hosts };
        var evaluator = new ExpressionEvaluator();
        evaluator.EvaluateTemplate("${hosts.join(', ')}", variables);

        var watch = Stopwatch.StartNew();
        var joined = evaluator.EvaluateTemplate("${hosts.join(', ')}", variables)!.GetValue<string>();

        Assert.StartsWith("web-0, web-1, ", joined, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(500), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Doubling_a_string_is_stopped_at_the_memory_limit()
    {
        // Jint 2.10 ran this to its time limit and left the server 440 MB larger.
        var limits = ExpressionLimits.Default with { MaxMemoryBytes = 16L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(30) };
        var watch = Stopwatch.StartNew();

        var e = Assert.Throws<ExpressionException>(() =>
            new ExpressionEvaluator(limits).RunScript("var s = 'x'; while (true) { s = s + s; }", Variables.None));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"stopped after {watch.Elapsed}");
        Assert.EndsWith("stopped after allocating 16 MB: the memory limit (Expressions:MaxMemoryBytes)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'ab'.padEnd(300000000).length")]
    [InlineData("Array.from({ length: 100000000 }).length")]
    [InlineData("Object.keys(new Array(30000000).fill(0)).length")]
    public void Long_built_in_calls_in_an_expression_are_stopped_within_the_time_limit(string expression)
    {
        var limits = ExpressionLimits.Default with { Timeout = TimeSpan.FromMilliseconds(300), MaxMemoryBytes = 4L * 1024 * 1024 * 1024 };
        var watch = Stopwatch.StartNew();

        var e = Assert.Throws<ExpressionException>(() => new ExpressionEvaluator(limits).Evaluate(expression, Variables.None));

        Assert.True(watch.Elapsed < limits.Timeout + Slack, $"stopped after {watch.Elapsed}");
        Assert.Matches(@"the (expression time|memory) limit \(Expressions:(Timeout|MaxMemoryBytes)\)", e.Message);
    }

    [Fact]
    public void The_time_limit_covers_every_part_of_a_template_together()
    {
        var limits = ExpressionLimits.Default with { Timeout = TimeSpan.FromMilliseconds(300), MaxStatements = 170_000 };
        const string slow = "${(() => { let n = 0; for (let i = 0; i < 40000; i++) n += i; return n; })()}";
        // The quickest of a few warm runs: a first run compiles as it goes, and a run the machine interrupted is slower
        // than the parts will be; too many parts only stop the template sooner, too few would not reach the limit.
        var unlimited = new ExpressionEvaluator(limits with { Timeout = TimeSpan.FromMinutes(1) });
        unlimited.EvaluateTemplate(slow, Variables.None);
        var quickest = TimeSpan.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var run = Stopwatch.StartNew();
            unlimited.EvaluateTemplate(slow, Variables.None);
            if (run.Elapsed < quickest) quickest = run.Elapsed;
        }

        var parts = Math.Max(2, (int)Math.Ceiling(limits.Timeout / quickest) * 4);

        var e = Assert.Throws<ExpressionException>(() =>
            new ExpressionEvaluator(limits).EvaluateTemplate(string.Join(" ", Enumerable.Repeat(slow, parts)), Variables.None));

        Assert.Contains("the expression time limit (Expressions:Timeout)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_over_the_limit_names_the_result_size_limit()
    {
        var small = new ExpressionEvaluator(ExpressionLimits.Default with { MaxResultBytes = 1000 });

        var e = Assert.Throws<ExpressionException>(() => small.Evaluate("'x'.repeat(2000)", Variables.None));

        Assert.EndsWith("larger than 1,000 bytes of JSON: the result size limit (Expressions:MaxResultBytes)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_direct_path_leaves_a_text_over_the_result_limit_to_the_engine_and_its_limits()
    {
        var text = new string('x', 600);
        var variables = new Dictionary<string, JsonNode?> { ["t"] = text };
        var limits = ExpressionLimits.Default with { MaxResultBytes = 1000 };
        const string concatenation = "t + t + t + t";

        var direct = new ExpressionEvaluator(limits) { Paths = ExpressionPaths.DirectOnly };
        var engine = new ExpressionEvaluator(limits);

        Assert.Throws<InvalidOperationException>(() => direct.Evaluate(concatenation, variables));
        Assert.Contains("the result size limit (Expressions:MaxResultBytes)",
            Assert.Throws<ExpressionException>(() => engine.Evaluate(concatenation, variables)).Message, StringComparison.Ordinal);
        Assert.Equal(text + text[..100], direct.Evaluate("t + u", new Dictionary<string, JsonNode?> { ["t"] = text, ["u"] = text[..100] })!.GetValue<string>());
    }

    [Fact]
    public void Memory_limit_below_a_megabyte_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpressionEvaluator(ExpressionLimits.Default with { MaxMemoryBytes = 1000 }));
}
