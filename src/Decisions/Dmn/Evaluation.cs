namespace WeOps.Decisions.Dmn;

/// <summary>The state of one evaluation: types in force, the rules that matched, and how deep functions call each other.</summary>
internal sealed class Evaluation(TypeChecker types, int maxDepth)
{
    private int depth;

    public TypeChecker Types { get; } = types;

    public List<MatchedRule> MatchedRules { get; } = [];

    /// <summary>Counts one level of function or decision nesting; past the limit the evaluation stops with an error naming the element.</summary>
    public IDisposable Enter(string elementId)
    {
        if (++depth > maxDepth)
        {
            depth--;
            throw new DecisionEvaluationException($"evaluation nests deeper than {maxDepth} calls at '{elementId}'", elementId);
        }
        return new Exit(this);
    }

    private sealed class Exit(Evaluation evaluation) : IDisposable
    {
        public void Dispose() => evaluation.depth--;
    }
}

/// <summary>An evaluation that cannot finish, naming the element where it stopped.</summary>
public sealed class DecisionEvaluationException(string message, string? elementId) : Exception(message)
{
    public string? ElementId { get; } = elementId;
}
