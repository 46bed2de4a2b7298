using WeOps.Engine.Executors;
using WeOps.Engine.Model;

namespace WeOps.Engine.Validation;

/// <summary>One validation of one process: what the rules read, and the problems they report.
/// The content of event sub-processes is left out: the event sub-process itself is reported as
/// unsupported, and its inside would only add noise.</summary>
internal sealed class ProcessCheck
{
    private const int MaxQuoted = 80;
    private readonly Dictionary<string, bool> inEventSubProcess = new(StringComparer.Ordinal);

    public ProcessCheck(ProcessGraph process, ExecutorCatalog executors, IExpressionSyntax expressions)
    {
        Process = process;
        Executors = executors;
        Expressions = expressions;
        Nodes = process.Nodes.Where(n => !IsInEventSubProcess(n.ScopeId)).OrderBy(n => n.Line).ThenBy(n => n.Id, StringComparer.Ordinal).ToList();
        Flows = process.Flows.Where(f => !IsInEventSubProcess(f.ScopeId)).OrderBy(f => f.Line).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
        Scopes = [null, .. Nodes.OfType<SubProcess>().Where(s => !s.TriggeredByEvent).Select(s => s.Id)];
    }

    public ProcessGraph Process { get; }
    public ExecutorCatalog Executors { get; }
    public IExpressionSyntax Expressions { get; }

    /// <summary>The nodes to check, in document order.</summary>
    public IReadOnlyList<FlowNode> Nodes { get; }
    public IReadOnlyList<SequenceFlow> Flows { get; }

    /// <summary>The process level (null) and every sub-process that is not an event sub-process.</summary>
    public IReadOnlyList<string?> Scopes { get; }

    public List<ValidationProblem> Problems { get; } = [];

    public string ProcessName => string.IsNullOrWhiteSpace(Process.Name) ? $"'{Process.Key}'" : $"'{Process.Name}' ({Process.Key})";

    public void Error(FlowNode node, string message) => Problems.Add(ValidationProblem.Error(node.Id, message, Line(node.Line)));

    public void Warning(FlowNode node, string message) => Problems.Add(ValidationProblem.Warning(node.Id, message, Line(node.Line)));

    public void Error(SequenceFlow flow, string message) => Problems.Add(ValidationProblem.Error(flow.Id, message, Line(flow.Line)));

    public void Warning(SequenceFlow flow, string message) => Problems.Add(ValidationProblem.Warning(flow.Id, message, Line(flow.Line)));

    public FlowNode? NodeOrNull(string id) => Process.TryGetNode(id, out var node) ? node : null;

    public static string Describe(SequenceFlow flow) =>
        string.IsNullOrWhiteSpace(flow.Name) ? $"Sequence flow {flow.Id}" : $"Sequence flow '{flow.Name}' ({flow.Id})";

    public static string Quote(string text) =>
        $"\"{(text.Length > MaxQuoted ? text[..MaxQuoted] + "…" : text)}\"";

    public void CheckExpression(FlowNode node, string what, string? text) =>
        Report(node.Id, node.Line, node.DisplayName, what, text, Expressions.CheckExpression, "expression");

    public void CheckExpression(SequenceFlow flow, string what, string? text) =>
        Report(flow.Id, flow.Line, Describe(flow), what, text, Expressions.CheckExpression, "expression");

    /// <summary>A value the engine reads as a template when it holds <c>${...}</c>, else as a bare expression (a
    /// loop's collection and cardinality).</summary>
    public void CheckExpressionOrTemplate(FlowNode node, string what, string? text)
    {
        if (text is not null && global::WeOps.Engine.Expressions.ExpressionEvaluator.IsTemplate(text)) CheckTemplate(node, what, text);
        else CheckExpression(node, what, text);
    }

    public void CheckTemplate(FlowNode node, string what, string? text) =>
        Report(node.Id, node.Line, node.DisplayName, what, text, Expressions.CheckTemplate, "template");

    private void Report(string elementId, int line, string who, string what, string? text, Func<string, string?> check, string kind)
    {
        if (string.IsNullOrWhiteSpace(text) || check(text) is not { } error) return;
        Problems.Add(ValidationProblem.Error(elementId, $"{who}: the {what} {Quote(text)} is not a valid {kind}: {error}", Line(line)));
    }

    private bool IsInEventSubProcess(string? scopeId)
    {
        if (scopeId is null) return false;
        if (inEventSubProcess.TryGetValue(scopeId, out var known)) return known;

        // Sub-processes nest at most 64 deep (the parser stops beyond), so this recursion is shallow.
        var result = NodeOrNull(scopeId) is SubProcess scope && (scope.TriggeredByEvent || IsInEventSubProcess(scope.ScopeId));
        inEventSubProcess[scopeId] = result;
        return result;
    }

    private static int? Line(int line) => line > 0 ? line : null;
}
