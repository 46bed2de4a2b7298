using System.Text.Json.Nodes;
using WeOps.Engine.Executors;
using WeOps.Engine.Model;

namespace WeOps.Engine.Execution;

internal sealed partial class Step
{
    /// <summary>Variables seen from a scope: its own over its parents', up to the process.</summary>
    private Dictionary<string, JsonNode?> VisibleVariables(int scopeId)
    {
        var chain = new List<Scope>();
        for (var s = FindScope(scopeId); s is not null; s = s.ParentId is { } p ? FindScope(p) : null)
            chain.Add(s);
        var visible = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            foreach (var (name, value) in chain[i].Variables)
                visible[name] = value;
        }

        return visible;
    }

    /// <summary>Sets a variable where it already lives (nearest scope first), else on the process.</summary>
    private void SetVariable(int scopeId, string name, JsonNode? value)
    {
        Scope? target = null;
        for (var s = FindScope(scopeId); s is not null; s = s.ParentId is { } p ? FindScope(p) : null)
        {
            target = s;
            if (s.Variables.ContainsKey(name)) break;
        }

        target!.Variables[name] = value?.DeepClone();
    }

    private static void SetLocal(Scope scope, string name, JsonNode? value) => scope.Variables[name] = value?.DeepClone();

    /// <summary>Evaluates an activity's <c>ops:input</c> templates in the token's scope; for a job, each input
    /// as its executor's descriptor says (values spliced into a shell command are quoted).</summary>
    private JsonObject EvaluateInputs(Token token, Activity activity, ExecutorDescriptor? executor = null)
    {
        var inputs = new JsonObject();
        if (activity.Inputs.Count == 0) return inputs;
        var variables = VisibleVariables(token.ScopeId);
        foreach (var input in activity.Inputs)
            inputs[input.Name] = expressions.EvaluateTemplate(input.Value, variables, executor?.Input(input.Name)?.Encoding)?.DeepClone();
        return inputs;
    }

    /// <summary>Writes what an activity produced (executor output, task form, message payload, child
    /// variables) into the token's scope: through the <c>ops:output</c> mappings when there are any,
    /// else every field of the result. Inside a multi-instance item the result also becomes the item's
    /// local <c>output</c>, for the loop's output element. A user task's mappings also see <c>completedBy</c>,
    /// who completed it, so a process can name that person on its records.</summary>
    private void ApplyResult(Token token, IReadOnlyList<VariableMapping> outputs, JsonNode? result, string? completedBy = null)
    {
        var scope = ScopeOf(token);
        var inLoopItem = scope.Kind == ScopeKind.MultiInstanceItem && scope.ElementId == token.ElementId;
        if (inLoopItem) SetLocal(scope, "output", result);

        if (outputs.Count > 0)
        {
            var variables = VisibleVariables(token.ScopeId);
            if (result is JsonObject fields)
            {
                foreach (var (name, value) in fields)
                    variables[name] = value;
            }

            variables["output"] = result;
            if (completedBy is not null) variables["completedBy"] = completedBy;
            foreach (var output in outputs)
                SetVariable(token.ScopeId, output.Name, expressions.EvaluateTemplate(output.Value, variables));
            return;
        }

        if (result is not JsonObject merged) return;
        foreach (var (name, value) in merged)
        {
            if (inLoopItem) SetLocal(scope, name, value);
            else SetVariable(token.ScopeId, name, value);
        }
    }

    private static JsonObject CopyOf(IReadOnlyDictionary<string, JsonNode?> variables)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in variables)
            copy[name] = value?.DeepClone();
        return copy;
    }
}
