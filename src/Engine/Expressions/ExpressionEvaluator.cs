using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Jint;
using WeOps.Engine.Validation;

namespace WeOps.Engine.Expressions;

/// <summary>Evaluates the JavaScript in process definitions: conditions, <c>${expr}</c> templates and script task
/// bodies, with process variables as globals. Each evaluation gets a fresh sandboxed engine (see
/// <see cref="Sandbox"/>), so evaluations share no state and the evaluator is safe to use from many threads;
/// a simple expression is read straight from the variables instead, with the same result (see
/// <see cref="DirectExpression"/>). Parsed code is cached process-wide by its text.</summary>
public sealed class ExpressionEvaluator : IExpressionSyntax
{
    private const string ExpressionKind = "Expression";
    private const string ConditionKind = "Condition";
    private const string TemplateKind = "Template";
    private const string ScriptKind = "Script";

    private readonly ExpressionLimits limits;
    private readonly ProgramCache programs = ProgramCache.Shared;

    /// <summary>For tests: which way expressions are evaluated.</summary>
    internal ExpressionPaths Paths { get; init; } = ExpressionPaths.DirectWhenSimple;

    static ExpressionEvaluator()
    {
        // Jint has no regular-expression timeout of its own; .NET's process-wide default bounds a runaway
        // pattern in a script. Set only when the host has not chosen one.
        if (AppContext.GetData("REGEX_DEFAULT_MATCH_TIMEOUT") is null)
            AppContext.SetData("REGEX_DEFAULT_MATCH_TIMEOUT", TimeSpan.FromSeconds(2));
    }

    public ExpressionEvaluator(ExpressionLimits? limits = null)
    {
        this.limits = limits ?? ExpressionLimits.Default;
        if (Invalid(this.limits) is { } problem) throw new ArgumentOutOfRangeException(nameof(limits), this.limits, problem);
    }

    /// <summary>The value of a JavaScript expression (<c>a + 1</c>, <c>alert.labels.severity == 'critical'</c>);
    /// a value wrapped whole in <c>${...}</c> is accepted too. undefined gives null.</summary>
    /// <exception cref="ExpressionException">It does not parse, fails, is stopped at a limit, or gives a value
    /// JSON cannot hold.</exception>
    public JsonNode? Evaluate(string expression, IReadOnlyDictionary<string, JsonNode?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var (program, code) = ParseExpression(expression, ExpressionKind);
        return ValueOf(program, code, variables);
    }

    /// <summary>Evaluates a condition, which must give true or false: no truthiness, so that a misspelt
    /// variable or a string "false" is reported rather than taken as a decision.</summary>
    /// <exception cref="ExpressionException">As <see cref="Evaluate"/>, or the value is not a boolean.</exception>
    public bool EvaluateCondition(string expression, IReadOnlyDictionary<string, JsonNode?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var (program, code) = ParseExpression(expression, ConditionKind);
        // Anything but a boolean is left to the engine, which words the error.
        if (Direct(program, variables) is { Kind: DirectKind.Boolean } direct) return direct.Boolean;
        EngineNeeded(code);
        return Evaluation.Run(limits, [program], variables, ConditionKind, code, run =>
        {
            var value = run.Execute(program, ConditionKind, code);
            return value.IsBoolean()
                ? value.AsBoolean()
                : throw new ExpressionException(code,
                    $"{ConditionKind} {ExpressionFailure.Quote(code)} gave {ExpressionFailure.Describe(value)}, not true or false");
        });
    }

    /// <summary>Fills in a template. Text without <c>${</c> is a literal string. A value that is exactly one
    /// <c>${expr}</c> keeps the JSON type of its result (number, boolean, object, array, null). Otherwise each
    /// part is written into the text like String(x), except that objects and arrays are written as JSON and
    /// null and undefined as nothing. <c>$${</c> stands for a literal <c>${</c>. With an <paramref name="encoding"/>
    /// the result is always text: each part's text is written as the encoding says, a lone <c>${expr}</c> too,
    /// except a part written <c>${raw(expr)}</c>, whose text is written as it is.</summary>
    /// <exception cref="ExpressionException">A part does not parse or fails, a <c>${</c> is not closed, a value
    /// cannot be encoded, or the text grows past the result limit.</exception>
    public JsonNode? EvaluateTemplate(string template, IReadOnlyDictionary<string, JsonNode?> variables, TemplateEncoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(variables);
        if (!template.Contains('$')) return JsonValue.Create(template);

        var parsed = Template.Parse(template);
        if (parsed.Problem is { } unclosed) throw TemplateSyntax(template, unclosed.Describe(template));

        IReadOnlyList<TemplatePart> parts = parsed.Parts;
        Splice[]? splices = null;
        if (encoding is not null) (parts, splices) = TemplateEncoding.Read(parts);
        string Write(int part, string text) => encoding is null ? text : encoding.Write(text, splices![part], parts[part].Text, template);
        var compiled = new ParsedProgram?[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            if (!parts[i].IsCode) continue;
            compiled[i] = programs.Expression(parts[i].Text);
            if (compiled[i]!.Problem is { } problem) throw TemplateSyntax(template, problem.Describe(template, parts[i].Start));
        }

        var code = compiled.OfType<ParsedProgram>().ToList();
        if (code.Count == 0) return JsonValue.Create(string.Concat(parts.Select(p => p.Text)));

        if (parsed.IsLoneExpression && encoding is null) return ValueOf(code[0], parts[0].Text, variables);
        if (FillDirectly(parts, compiled, variables, Write) is { } filled) return JsonValue.Create(filled);
        EngineNeeded(template);

        return Evaluation.Run(limits, code, variables, TemplateKind, template, run =>
        {
            var result = new StringBuilder();
            for (var i = 0; i < parts.Count; i++)
            {
                var part = parts[i];
                result.Append(compiled[i] is { } program
                    ? Write(i, run.ToTemplateText(run.Execute(program, ExpressionKind, part.Text), ExpressionKind, part.Text))
                    : part.Text);
                if (result.Length > limits.MaxResultBytes)
                    throw ExpressionFailure.Failed(TemplateKind, template,
                        $"its text is longer than {limits.MaxResultBytes.ToString("N0", CultureInfo.InvariantCulture)} characters: the result size limit ({ExpressionLimits.MaxResultBytesKey})");
            }

            return JsonValue.Create(result.ToString());
        });
    }

    /// <summary>Runs a script task's script. Returns its completion value and every global it created or
    /// changed (by JSON equality with its input); functions and undefined values are left out, and deleting a
    /// variable is not reported.</summary>
    /// <exception cref="ExpressionException">It does not parse, fails, is stopped at a limit, or leaves a
    /// variable JSON cannot hold.</exception>
    public ScriptResult RunScript(string script, IReadOnlyDictionary<string, JsonNode?> variables)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(variables);
        var program = programs.Script(script);
        if (program.Problem is { } problem)
            throw ExpressionFailure.Failed(ScriptKind, script, problem.Describe(script));

        return Evaluation.Run(limits, [program], variables, ScriptKind, script, run =>
        {
            var completion = run.Execute(program, ScriptKind, script);
            // The completion value is incidental (a script may end with a function): only data is kept.
            var value = JsonInterop.IsFunction(completion) ? null : run.ToJson(completion, ScriptKind, script);
            return new ScriptResult(value, run.ChangedVariables(variables, program.Shape.LexicalGlobals, ScriptKind, script));
        });
    }

    /// <inheritdoc/>
    public string? CheckExpression(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var (code, start) = UnwrapExpression(expression);
        return programs.Expression(code).Problem?.Describe(expression, start);
    }

    /// <inheritdoc/>
    public string? CheckTemplate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var parsed = Template.Parse(template);
        if (parsed.Problem is { } unclosed) return unclosed.Describe(template);
        foreach (var part in parsed.Parts.Where(p => p.IsCode))
        {
            if (programs.Expression(part.Text).Problem is { } problem) return problem.Describe(template, part.Start);
        }

        return null;
    }

    /// <inheritdoc/>
    public string? CheckScript(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return programs.Script(script).Problem?.Describe(script);
    }

    /// <summary>True when the text holds a <c>${</c> that is not escaped as <c>$${</c>. An unclosed one counts,
    /// so that <see cref="CheckTemplate"/> gets to report it.</summary>
    public static bool IsTemplate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Template.ContainsCode(text);
    }

    private JsonNode? ValueOf(ParsedProgram program, string code, IReadOnlyDictionary<string, JsonNode?> variables)
    {
        if (Direct(program, variables) is { } direct && direct.TryToJson(limits.MaxResultBytes, out var json)) return json;
        EngineNeeded(code);
        return Evaluation.Run(limits, [program], variables, ExpressionKind, code,
            run => run.ToJson(run.Execute(program, ExpressionKind, code), ExpressionKind, code));
    }

    /// <summary>A mixed template's text when every part of it can be evaluated directly and it stays within the
    /// limit; null when the engine must fill it in (and raise whatever error there is).</summary>
    private string? FillDirectly(IReadOnlyList<TemplatePart> parts, ParsedProgram?[] compiled, IReadOnlyDictionary<string, JsonNode?> variables,
        Func<int, string, string> write)
    {
        var result = new StringBuilder();
        for (var i = 0; i < parts.Count; i++)
        {
            if (compiled[i] is not { } program) result.Append(parts[i].Text);
            else if (Direct(program, variables) is { } direct && direct.TryToTemplateText(out var text)) result.Append(write(i, text));
            else return null;
            if (result.Length > limits.MaxResultBytes) return null;
        }

        return result.ToString();
    }

    private DirectValue? Direct(ParsedProgram program, IReadOnlyDictionary<string, JsonNode?> variables) =>
        Paths != ExpressionPaths.EngineOnly && program.Direct is { } direct && direct.TryEvaluate(variables, limits.MaxResultBytes, out var value)
            ? value
            : null;

    private void EngineNeeded(string code)
    {
        if (Paths == ExpressionPaths.DirectOnly) throw new InvalidOperationException($"{ExpressionFailure.Quote(code)} needs an engine");
    }

    private static string? Invalid(ExpressionLimits limits) => limits switch
    {
        { Timeout.Ticks: <= 0 } => "Timeout must be positive.",
        // A script thread's stack is sized from the statement limit; past this it would not fit.
        { MaxStatements: < 1 or > ScriptThread.MaxStatements } => string.Create(CultureInfo.InvariantCulture, $"MaxStatements must be between 1 and {ScriptThread.MaxStatements:N0}."),
        { MaxRecursion: < 1 or > 10_000 } => "MaxRecursion must be between 1 and 10,000.",
        { MaxResultBytes: < 1 } => "MaxResultBytes must be positive.",
        // Less than this and a fresh engine could not even define its built-ins.
        { MaxMemoryBytes: < 1024 * 1024 } => "MaxMemoryBytes must be at least 1 MB.",
        _ => null,
    };

    private (ParsedProgram Program, string Code) ParseExpression(string expression, string kind)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var (code, start) = UnwrapExpression(expression);
        var program = programs.Expression(code);
        if (program.Problem is { } problem) throw ExpressionFailure.Failed(kind, code, problem.Describe(expression, start));
        return (program, code);
    }

    /// <summary>An expression written as <c>${...}</c> (whitespace around allowed): the code inside and where
    /// it starts in the text.</summary>
    private static (string Code, int Start) UnwrapExpression(string expression)
    {
        if (!expression.Contains("${", StringComparison.Ordinal)) return (expression, 0);
        var trimmed = expression.Trim();
        var template = Template.Parse(trimmed);
        if (!template.IsLoneExpression) return (expression, 0);
        return (template.Parts[0].Text, expression.IndexOf("${", StringComparison.Ordinal) + 2);
    }

    private static ExpressionException TemplateSyntax(string template, string problem) =>
        ExpressionFailure.Failed(TemplateKind, template, problem);
}

/// <summary>Which way an <see cref="ExpressionEvaluator"/> evaluates expressions. Tests compare the two ways and
/// check which expressions take the direct one; production uses <see cref="DirectWhenSimple"/>.</summary>
internal enum ExpressionPaths
{
    /// <summary>Directly when the expression and its operands allow it, else in an engine.</summary>
    DirectWhenSimple,

    /// <summary>Always in an engine.</summary>
    EngineOnly,

    /// <summary>Directly, or an <see cref="InvalidOperationException"/> where an engine would be needed.</summary>
    DirectOnly,
}
