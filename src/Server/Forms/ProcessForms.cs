using System.Text.Json.Nodes;
using WeOps.Engine.Execution;
using WeOps.Engine.Expressions;
using WeOps.Engine.Forms;
using WeOps.Engine.Model;
using WeOps.Engine.Persistence;

namespace WeOps.Server.Forms;

/// <summary>A form as a person is shown it: the schema and the data it opens with, and the variables the instance
/// holds (a submission that leaves out a field keeps its value).</summary>
public sealed record ShownForm(FormSchema Schema, JsonObject Data, IReadOnlyDictionary<string, JsonNode?> Held)
{
    public FormCheck Check(JsonObject? values, string? decision = null) => FormSubmission.Check(Schema, values, Data, decision, Held);
}

/// <summary>Finds the form of a task (in the version its instance is pinned to) or of a process's start, and the
/// data it is shown with: current variables, defaults (<c>${expr}</c> within the configured expression limits) and
/// the options of pickers. Submissions are checked against the same data, so a picker accepts what it offered.</summary>
public sealed class ProcessForms(DefinitionStore definitions, InstanceQueries queries, FormPickers pickers, ExpressionLimits limits)
{
    private readonly ExpressionEvaluator expressions = new(limits);

    public async Task<ShownForm?> ForTaskAsync(UserTaskRow task, CancellationToken cancellationToken)
    {
        if (await queries.GetAsync(task.InstanceId, cancellationToken) is not { } instance) return null;
        var graph = await definitions.GraphAsync(instance.Summary.DefinitionKey, instance.Summary.Version, cancellationToken);
        if (graph is null || !graph.TryGetNode(task.ElementId, out var node) || node is not TaskNode { UserTask.Form: { } form }) return null;
        var variables = VariablesOf(instance.State, task.WaitId);
        return new ShownForm(form, await DataAsync(form, variables, cancellationToken), variables);
    }

    /// <summary>The start form of a published version (the latest when <paramref name="version"/> is null); null when
    /// the process has no such version or its none start event has no form.</summary>
    public async Task<(int Version, ShownForm? Form)?> ForStartAsync(string key, int? version, CancellationToken cancellationToken)
    {
        var pinned = version ?? await definitions.LatestVersionAsync(key, cancellationToken);
        if (pinned is not { } found || await definitions.GraphAsync(key, found, cancellationToken) is not { } graph) return null;
        var start = graph.StartEventsIn(null).FirstOrDefault(s => s.Definition is null && s.Form is not null);
        if (start?.Form is not { } form) return (found, null);
        var none = new Dictionary<string, JsonNode?>();
        return (found, new ShownForm(form, await DataAsync(form, none, cancellationToken), none));
    }

    private async Task<JsonObject> DataAsync(FormSchema form, IReadOnlyDictionary<string, JsonNode?> variables, CancellationToken cancellationToken)
    {
        var data = FormData.For(form, variables, expressions);
        foreach (var field in form.Fields.Where(f => f.Picker != FormPicker.None))
            data[field.ValuesKey!] = await pickers.OptionsAsync(field.Picker, cancellationToken);
        return data;
    }

    /// <summary>The variables the task sees: its scope's, over its enclosing scopes', over the process's.</summary>
    private static Dictionary<string, JsonNode?> VariablesOf(InstanceState state, int waitId)
    {
        var wait = state.Waits.FirstOrDefault(w => w.Id == waitId);
        var scopeId = wait is null ? (int?)null : state.Tokens.FirstOrDefault(t => t.Id == wait.TokenId)?.ScopeId;
        var chain = new List<Scope>();
        for (var scope = state.Scopes.FirstOrDefault(s => s.Id == scopeId) ?? state.Scopes.FirstOrDefault(s => s.ParentId is null);
             scope is not null && chain.Count <= state.Scopes.Count;
             scope = state.Scopes.FirstOrDefault(s => s.Id == scope.ParentId))
            chain.Add(scope);

        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var scope in Enumerable.Reverse(chain))
        {
            foreach (var (name, value) in scope.Variables)
                variables[name] = value;
        }

        return variables;
    }
}
