using System.Collections.Concurrent;
using System.Text.Json.Nodes;
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
    public void A_regular_expression_literal_is_a_new_object_in_each_run_of_a_shared_program()
    {
        // A global regular expression remembers where it stopped: were the object shared by runs, the second run
        // would start after the first match.
        const string expression = "/a/g.exec(text).index";
        var program = ProgramCache.Shared.Expression(expression);
        var variables = new Dictionary<string, JsonNode?> { ["text"] = "xaa" };

        var results = Enumerable.Range(0, 3).Select(_ => evaluator.Evaluate(expression, variables)!.GetValue<int>()).ToList();

        Assert.Same(program, ProgramCache.Shared.Expression(expression));
        Assert.Equal([1, 1, 1], results);
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
