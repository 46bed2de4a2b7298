using WeOps.Decisions.Feel;

namespace WeOps.Decisions.Dmn;

public enum HitPolicy { Unique, Any, Priority, First, RuleOrder, OutputOrder, Collect }

public enum Aggregation { None, Sum, Min, Max, Count }

public sealed record TableInput(string Id, string? Label, Node Expression, string? TypeRef, Node? AllowedValues);

/// <summary>An output column; <c>Priorities</c> are its output values in the order the P and O hit policies rank them.</summary>
public sealed record TableOutput(string Id, string? Name, string? TypeRef, Node? AllowedValues, Node? Priorities, Node? Default);

public sealed record TableRule(string Id, IReadOnlyList<Node> InputEntries, IReadOnlyList<Node> OutputEntries, IReadOnlyList<string> Annotations);

/// <summary>A rule that matched while evaluating a decision table.</summary>
public sealed record MatchedRule(string DecisionTableId, string RuleId, int RuleIndex, IReadOnlyList<string> Annotations);

public sealed class DecisionTable : DmnExpression
{
    public required HitPolicy HitPolicy { get; init; }

    public Aggregation Aggregation { get; init; }

    public required IReadOnlyList<TableInput> Inputs { get; init; }

    public required IReadOnlyList<TableOutput> Outputs { get; init; }

    public required IReadOnlyList<TableRule> Rules { get; init; }

    public IReadOnlyList<string> AnnotationNames { get; init; } = [];

    internal override object? Eval(Scope scope, Evaluation evaluation)
    {
        var values = new object?[Inputs.Count];
        for (var i = 0; i < Inputs.Count; i++)
        {
            var input = Inputs[i];
            values[i] = input.Expression.Eval(scope);
            if (input.AllowedValues is not null && values[i] is not null && FeelParser.Matches(input.AllowedValues, values[i], scope) != true) return null;
        }
        var matched = new List<int>();
        for (var r = 0; r < Rules.Count; r++)
        {
            var rule = Rules[r];
            var all = true;
            for (var i = 0; i < Inputs.Count && all; i++)
            {
                all = FeelParser.Matches(rule.InputEntries[i], values[i], new Scope(scope).Set("?", values[i])) == true;
            }
            if (all) matched.Add(r);
        }
        if (HitPolicy == HitPolicy.First && matched.Count > 1) matched.RemoveRange(1, matched.Count - 1);
        if (matched.Count == 0) return Default(scope);
        var results = matched.Select(r => RuleResult(Rules[r], scope, evaluation)).ToList();
        switch (HitPolicy)
        {
            case HitPolicy.Unique when matched.Count > 1:
            case HitPolicy.Any when results.Any(x => FeelValues.Equal(x, results[0]) != true):
                return null;
            case HitPolicy.Priority:
                {
                    var best = Enumerable.Range(0, matched.Count).OrderBy(i => Rank(results[i], scope), RankComparer.Instance).First();
                    Record(evaluation, [matched[best]]);
                    return results[best];
                }
            case HitPolicy.OutputOrder:
                {
                    var order = Enumerable.Range(0, matched.Count).OrderBy(i => Rank(results[i], scope), RankComparer.Instance).ToList();
                    Record(evaluation, order.Select(i => matched[i]));
                    return order.Select(i => results[i]).ToList();
                }
        }
        Record(evaluation, HitPolicy is HitPolicy.Any ? matched.Take(1) : matched);
        return HitPolicy switch
        {
            HitPolicy.Unique or HitPolicy.Any or HitPolicy.First => results[0],
            HitPolicy.Collect => Aggregate(results),
            _ => results,
        };
    }

    private object? RuleResult(TableRule rule, Scope scope, Evaluation evaluation)
    {
        object? Output(int i)
        {
            var v = rule.OutputEntries[i].Eval(scope);
            var o = Outputs[i];
            if (o.AllowedValues is not null && v is not null && FeelParser.Matches(o.AllowedValues, v, scope) != true) return null;
            return evaluation.Types.Coerce(v, o.TypeRef);
        }
        if (Outputs.Count == 1) return Output(0);
        var context = new FeelContext();
        for (var i = 0; i < Outputs.Count; i++) context.Set(Outputs[i].Name ?? $"output{i + 1}", Output(i));
        return context;
    }

    private object? Default(Scope scope)
    {
        if (Outputs.All(o => o.Default is null)) return HitPolicy is HitPolicy.RuleOrder or HitPolicy.OutputOrder or HitPolicy.Collect && Aggregation == Aggregation.None ? new List<object?>() : null;
        if (Outputs.Count == 1) return Outputs[0].Default!.Eval(scope);
        var context = new FeelContext();
        foreach (var o in Outputs) context.Set(o.Name ?? "", o.Default?.Eval(scope));
        return context;
    }

    private object? Aggregate(List<object?> results)
    {
        switch (Aggregation)
        {
            case Aggregation.Count: return (decimal)results.Count;
            case Aggregation.Sum: return results.All(r => r is decimal) ? results.Cast<decimal>().Sum() : null;
            case Aggregation.Min:
            case Aggregation.Max:
                var best = results[0];
                foreach (var r in results.Skip(1))
                {
                    var c = FeelValues.Compare(r, best);
                    if (c is null) return null;
                    if (Aggregation == Aggregation.Min ? c < 0 : c > 0) best = r;
                }
                return best;
            default: return results;
        }
    }

    private int[] Rank(object? result, Scope scope)
    {
        var rank = new int[Outputs.Count];
        for (var i = 0; i < Outputs.Count; i++)
        {
            var value = Outputs.Count == 1 ? result : result is FeelContext c && c.TryGet(Outputs[i].Name ?? "", out var v) ? v : null;
            var priorities = Outputs[i].Priorities?.Eval(scope) as List<object?> ?? [];
            var at = priorities.FindIndex(p => FeelValues.Equal(p, value) == true);
            rank[i] = at < 0 ? int.MaxValue : at;
        }
        return rank;
    }

    private void Record(Evaluation evaluation, IEnumerable<int> rules)
    {
        foreach (var r in rules) evaluation.MatchedRules.Add(new MatchedRule(Id, Rules[r].Id, r + 1, Rules[r].Annotations));
    }

    private sealed class RankComparer : IComparer<int[]>
    {
        public static readonly RankComparer Instance = new();

        public int Compare(int[]? x, int[]? y)
        {
            for (var i = 0; i < x!.Length; i++)
            {
                var c = x[i].CompareTo(y![i]);
                if (c != 0) return c;
            }
            return 0;
        }
    }
}
