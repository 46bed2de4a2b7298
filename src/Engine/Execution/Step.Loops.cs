using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Expressions;
using WeOps.Engine.Model;

namespace WeOps.Engine.Execution;

/// <summary>Multi-instance: a body scope owned by the activity's token, one item scope per element of
/// the collection, each with a token that runs the activity itself.</summary>
internal sealed partial class Step
{
    private void StartLoop(Token token, Activity activity)
    {
        var loop = activity.Loop!;
        var items = LoopItems(token, activity, loop);
        var body = NewScope(ScopeKind.MultiInstanceBody, ScopeOf(token), activity.Id, token.Id);
        body.Loop = new MultiInstanceProgress { Items = items, Results = new JsonArray(items.Select(_ => (JsonNode?)null).ToArray()) };
        token.State = TokenState.Waiting;
        UpdateLoopCounters(body);
        if (items.Count == 0)
        {
            CheckScopeDone(body);
            return;
        }

        var first = loop.IsSequential ? 1 : items.Count;
        for (var i = 0; i < first; i++)
            StartLoopItem(body, activity);
    }

    private JsonArray LoopItems(Token token, Activity activity, LoopDefinition loop)
    {
        var variables = VisibleVariables(token.ScopeId);
        if (loop.Collection is not null)
        {
            var value = Evaluate(loop.Collection, variables);
            return value is JsonArray array
                ? (JsonArray)array.DeepClone()
                : throw new ExpressionException(loop.Collection,
                    $"The multi-instance collection of '{activity.DisplayName}' must be a list, but '{loop.Collection}' gave {Describe(value)}.");
        }

        var count = Evaluate(loop.Cardinality ?? "0", variables);
        if (count is not JsonValue number || number.GetValueKind() != JsonValueKind.Number || !number.TryGetValue<int>(out var n) || n < 0)
            throw new ExpressionException(loop.Cardinality ?? "",
                $"The loop cardinality of '{activity.DisplayName}' must be a whole number of at least 0, but gave {Describe(count)}.");
        return new JsonArray(Enumerable.Range(0, n).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
    }

    private void StartLoopItem(Scope body, Activity activity)
    {
        var progress = body.Loop!;
        var index = progress.Started++;
        var item = NewScope(ScopeKind.MultiInstanceItem, body, activity.Id, ownerTokenId: null);
        SetLocal(item, "loopCounter", index);
        if (activity.Loop!.ElementVariable is { } element) SetLocal(item, element, progress.Items[index]);
        UpdateLoopCounters(body);
        Enqueue(NewToken(activity.Id, item.Id, null));
    }

    private void CompleteLoopItem(Scope item)
    {
        var body = FindScope(item.ParentId!.Value)!;
        var owner = FindToken(body.OwnerTokenId!.Value)!;
        var activity = (Activity)graph.Node(item.ElementId!);
        var loop = activity.Loop!;
        var progress = body.Loop!;
        try
        {
            var index = item.Variables["loopCounter"]!.GetValue<int>();
            if (loop.OutputElement is not null)
                progress.Results[index] = expressions.EvaluateTemplate(loop.OutputElement, VisibleVariables(item.Id))?.DeepClone();
            progress.Completed++;
            UpdateLoopCounters(body);
            var done = loop.CompletionCondition is not null && expressions.EvaluateCondition(loop.CompletionCondition, VisibleVariables(item.Id));
            state.Scopes.Remove(item);
            if (done)
            {
                foreach (var other in state.Scopes.Where(s => s.ParentId == body.Id).ToList())
                    RemoveScope(other, $"completion condition of '{activity.DisplayName}' met");
            }
            else if (loop.IsSequential && progress.Started < progress.Items.Count)
            {
                StartLoopItem(body, activity);
            }
        }
        catch (ExpressionException e)
        {
            state.Scopes.Remove(item);
            foreach (var other in state.Scopes.Where(s => s.ParentId == body.Id).ToList())
                RemoveScope(other, "multi-instance stopped by an incident");
            state.Scopes.Remove(body);
            RaiseIncident(owner, IncidentKind.ExpressionFailed, e.Message);
            return;
        }

        CheckScopeDone(body);
    }

    private void CompleteLoopBody(Scope body)
    {
        var owner = FindToken(body.OwnerTokenId!.Value)!;
        var activity = (Activity)graph.Node(body.ElementId!);
        state.Scopes.Remove(body);
        if (activity.Loop!.OutputCollection is { } name) SetVariable(owner.ScopeId, name, body.Loop!.Results);
        DisarmWaitsOf(owner);
        RecordBody(HistoryKind.Completed, activity, owner);
        Guarded(owner, () => Continue(owner, activity));
    }

    private void UpdateLoopCounters(Scope body)
    {
        var progress = body.Loop!;
        SetLocal(body, "nrOfInstances", progress.Items.Count);
        SetLocal(body, "nrOfCompletedInstances", progress.Completed);
        SetLocal(body, "nrOfActiveInstances", progress.Started - progress.Completed);
    }

    /// <summary>Collection and cardinality may be written as <c>${expr}</c> or as a bare expression.</summary>
    private JsonNode? Evaluate(string text, IReadOnlyDictionary<string, JsonNode?> variables) =>
        ExpressionEvaluator.IsTemplate(text) ? expressions.EvaluateTemplate(text, variables) : expressions.Evaluate(text, variables);

    private static string Describe(JsonNode? value) => value is null ? "null" : $"{value.GetValueKind().ToString().ToLowerInvariant()} {Shorten(value.ToJsonString())}";

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
