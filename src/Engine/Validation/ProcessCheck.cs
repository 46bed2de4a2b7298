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

    /// <summary>How problems name the process: its name, or its key when it has none.</summary>
    public string ProcessName => string.IsNullOrWhiteSpace(Process.Name) ? Process.Key : Process.Name;

    public void Error(FlowNode node, ProblemCode code, params (string Name, object? Value)[] args) => Add(node, Severity.Error, code, args);

    public void Warning(FlowNode node, ProblemCode code, params (string Name, object? Value)[] args) => Add(node, Severity.Warning, code, args);

    public void Error(SequenceFlow flow, ProblemCode code, params (string Name, object? Value)[] args) => Add(flow, Severity.Error, code, args);

    public void Warning(SequenceFlow flow, ProblemCode code, params (string Name, object? Value)[] args) => Add(flow, Severity.Warning, code, args);

    /// <summary>A problem of the process as a whole, reported on its key.</summary>
    public void ProcessError(ProblemCode code, params (string Name, object? Value)[] args) =>
        Problems.Add(ValidationProblem.Of(code, Severity.Error, Process.Key, Args(ProcessName, args)));

    public FlowNode? NodeOrNull(string id) => Process.TryGetNode(id, out var node) ? node : null;

    /// <summary>How problems name an element: its name, or its id when it has none.</summary>
    public static string NameOf(FlowNode node) => string.IsNullOrWhiteSpace(node.Name) ? node.Id : node.Name;

    public static string NameOf(SequenceFlow flow) => string.IsNullOrWhiteSpace(flow.Name) ? flow.Id : flow.Name;

    public static string Quote(string text) =>
        $"\"{(text.Length > MaxQuoted ? text[..MaxQuoted] + "…" : text)}\"";

    /// <summary>An expression in <paramref name="part"/> (a phrase from a fixed set, e.g. "condition").</summary>
    public void CheckExpression(FlowNode node, string part, string? text) =>
        Report(() => (NameOf(node), node.Id, node.Line), ProblemCodes.ExpressionInvalid, ("part", part), text, Expressions.CheckExpression);

    public void CheckExpression(SequenceFlow flow, string part, string? text) =>
        Report(() => (NameOf(flow), flow.Id, flow.Line), ProblemCodes.ExpressionInvalid, ("part", part), text, Expressions.CheckExpression);

    /// <summary>A value the engine reads as a template when it holds <c>${...}</c>, else as a bare expression (a
    /// loop's collection and cardinality).</summary>
    public void CheckExpressionOrTemplate(FlowNode node, string part, string? text)
    {
        if (text is not null && global::WeOps.Engine.Expressions.ExpressionEvaluator.IsTemplate(text)) CheckTemplate(node, part, text);
        else CheckExpression(node, part, text);
    }

    public void CheckTemplate(FlowNode node, string part, string? text) =>
        CheckTemplate(node, ProblemCodes.TemplateInvalid, ("part", part), text);

    /// <summary>A template reported under <paramref name="code"/>, whose other argument is <paramref name="what"/>.</summary>
    public void CheckTemplate(FlowNode node, ProblemCode code, (string Name, string Value) what, string? text) =>
        Report(() => (NameOf(node), node.Id, node.Line), code, what, text, Expressions.CheckTemplate);

    private void Report(Func<(string Name, string Id, int Line)> element, ProblemCode code, (string Name, string Value) what, string? text, Func<string, string?> check)
    {
        if (string.IsNullOrWhiteSpace(text) || check(text) is not { } error) return;
        var (name, id, line) = element();
        Problems.Add(ValidationProblem.Of(code, Severity.Error, id, Args(name, [(what.Name, what.Value), ("text", Quote(text)), ("error", error)]), Line(line)));
    }

    private void Add(FlowNode node, Severity severity, ProblemCode code, (string Name, object? Value)[] args) =>
        Problems.Add(ValidationProblem.Of(code, severity, node.Id, Args(NameOf(node), args), Line(node.Line)));

    private void Add(SequenceFlow flow, Severity severity, ProblemCode code, (string Name, object? Value)[] args) =>
        Problems.Add(ValidationProblem.Of(code, severity, flow.Id, Args(NameOf(flow), args), Line(flow.Line)));

    private static Dictionary<string, string> Args(string element, (string Name, object? Value)[] args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal) { ["element"] = element };
        foreach (var (name, value) in args)
            result[name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        return result;
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
