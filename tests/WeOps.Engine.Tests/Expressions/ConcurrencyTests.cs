using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Jint.Parser.Ast;
using WeOps.Engine.Expressions;

namespace WeOps.Engine.Tests.Expressions;

public sealed class ConcurrencyTests
{
    private readonly ExpressionEvaluator evaluator = new();

    [Fact]
    public void Same_cached_expression_evaluates_correctly_on_many_threads_at_once()
    {
        // Calls with literal arguments: Jint caches those argument arrays in the shared syntax tree.
        const string expression = "items.slice(0, 2).join(',') + ':' + (n * 2) + ':' + label.toUpperCase() + ':' + Math.max(n, 3)";
        var failures = new ConcurrentQueue<string>();

        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                var n = t * 1000 + i;
                var vars = new Dictionary<string, JsonNode?>
                {
                    ["items"] = new JsonArray($"a{n}", $"b{n}", "c"),
                    ["n"] = n,
                    ["label"] = $"l{n}",
                };
                var expected = $"a{n},b{n}:{n * 2}:L{n}:{Math.Max(n, 3)}";
                var actual = evaluator.Evaluate(expression, vars)!.GetValue<string>();
                if (actual != expected) failures.Enqueue($"{expected} != {actual}");
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(failures);
    }

    [Fact]
    public void Programs_with_functions_and_regular_expressions_evaluate_correctly_on_many_threads_at_once()
    {
        const string expression = "hosts.map(function (h) { return h.replace(/\\.example\\.com$/, ''); }).join(' ')";

        var results = Enumerable.Range(0, 64).AsParallel().WithDegreeOfParallelism(8).Select(n =>
        {
            var vars = new Dictionary<string, JsonNode?> { ["hosts"] = new JsonArray($"web{n}.example.com", $"db{n}.example.com") };
            return (n, evaluator.Evaluate(expression, vars)!.GetValue<string>());
        }).ToList();

        Assert.All(results, r => Assert.Equal($"web{r.n} db{r.n}", r.Item2));
    }

    [Fact]
    public void Cached_program_is_parsed_once_and_gives_each_run_its_own_result()
    {
        var expression = $"unique_{Guid.NewGuid():N} + 1";
        var name = expression.Split(' ')[0];

        var first = ProgramCache.Shared.Expression(expression);
        var a = evaluator.Evaluate(expression, new Dictionary<string, JsonNode?> { [name] = 1 });
        var b = evaluator.Evaluate(expression, new Dictionary<string, JsonNode?> { [name] = 41 });

        Assert.Same(first, ProgramCache.Shared.Expression(expression));
        Assert.Equal(2, a!.GetValue<int>());
        Assert.Equal(42, b!.GetValue<int>());
    }

    [Fact]
    public void Runs_do_not_write_into_a_shared_syntax_tree()
    {
        var expression = $"Math.max(1, 2) + 'x'.indexOf('x') + unique_{Guid.NewGuid():N}";
        var program = ProgramCache.Shared.Expression(expression);
        var tree = program.ProgramForRun();
        var calls = SyntaxWalk.Nodes(tree).Select(v => v.Node).OfType<CallExpression>().ToList();
        var literals = SyntaxWalk.Nodes(tree).Select(v => v.Node).OfType<Literal>().ToList();

        var name = expression.Split("+ ")[^1];
        for (var i = 0; i < 3; i++) evaluator.Evaluate(expression, new Dictionary<string, JsonNode?> { [name] = i });

        Assert.Same(tree, program.ProgramForRun());
        Assert.All(calls, c => Assert.False(c.Cached));
        Assert.All(literals, l => Assert.True(l.Cached));
    }

    [Fact]
    public void Programs_with_regular_expression_literals_get_a_fresh_tree_for_each_run()
    {
        var program = ProgramCache.Shared.Expression("/a/.test(s)");

        Assert.NotSame(program.ProgramForRun(), program.ProgramForRun());
    }

    [Fact]
    public void Full_cache_is_emptied_and_keeps_working()
    {
        var cache = new ProgramCache(capacity: 10);
        var kept = cache.Expression("a + 1");

        for (var i = 0; i < 25; i++) cache.Expression($"b + {i}");

        Assert.NotSame(kept, cache.Expression("a + 1"));
        Assert.Null(cache.Expression("a + 1").Problem);
    }
}
