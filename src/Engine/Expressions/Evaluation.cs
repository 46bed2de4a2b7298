using System.Text.Json;
using System.Text.Json.Nodes;
using Jint;
using Jint.Constraints;
using Jint.Native;
using Jint.Runtime;
using JsEngine = Jint.Engine;

namespace WeOps.Engine.Expressions;

/// <summary>One evaluation: a fresh sandboxed engine holding the variables its programs can read. It runs on the
/// caller's thread when every program allows it, else on a <see cref="ScriptThread"/>; either way all its work,
/// from defining variables to converting results, happens on one thread. The time limit covers the whole
/// evaluation, every program of a template together.</summary>
internal sealed class Evaluation
{
    // Jint checks the deadline inside long built-in calls too; the script thread is abandoned only when the
    // engine outlives it by this much.
    private static readonly TimeSpan ThreadGrace = TimeSpan.FromSeconds(1);

    private readonly JsEngine engine;
    private readonly ExpressionLimits limits;
    private readonly HashSet<string> defined = new(StringComparer.Ordinal);

    private Evaluation(ExpressionLimits limits, OperationDeadlineConstraint deadline)
    {
        this.limits = limits;
        engine = Sandbox.CreateEngine(limits, deadline);
    }

    /// <param name="kind">How messages name the code when the whole evaluation is stopped.</param>
    public static T Run<T>(
        ExpressionLimits limits,
        IReadOnlyList<ParsedProgram> programs,
        IReadOnlyDictionary<string, JsonNode?> variables,
        string kind,
        string code,
        Func<Evaluation, T> body)
    {
        T Work()
        {
            var deadline = new OperationDeadlineConstraint();
            deadline.Begin(limits.Timeout, CancellationToken.None);
            try
            {
                var evaluation = new Evaluation(limits, deadline);
                evaluation.Define(variables, programs, kind, code);
                return body(evaluation);
            }
            finally
            {
                deadline.End();
            }
        }

        if (programs.All(p => p.RunsInline)) return Work();
        try
        {
            return ScriptThread.Run(Work, ScriptThread.StackBytesFor(limits), limits.Timeout + ThreadGrace);
        }
        catch (TimeoutException e)
        {
            throw ExpressionFailure.TimedOut(kind, code, limits, e);
        }
    }

    public JsValue Execute(ParsedProgram program, string kind, string code)
    {
        try
        {
            return engine.Evaluate(program.Prepared);
        }
        catch (Exception e)
        {
            throw ExpressionFailure.From(e, limits, kind, code);
        }
    }

    public JsonNode? ToJson(JsValue value, string kind, string code)
    {
        try
        {
            return JsonInterop.ToJsonNode(value, limits.MaxResultBytes);
        }
        catch (Exception e)
        {
            throw ExpressionFailure.From(e, limits, kind, code);
        }
    }

    /// <summary>A value as it reads inside a mixed template: like String(x), except that objects and arrays
    /// are written as JSON, dates in ISO 8601, and null and undefined as nothing.</summary>
    public string ToTemplateText(JsValue value, string kind, string code)
    {
        try
        {
            if (value.IsUndefined() || value.IsNull()) return "";
            if (value.IsString()) return value.AsString();
            if (value.IsNumber()) JsonInterop.CheckNumber(value.AsNumber());
            if (!value.IsObject()) return TypeConverter.ToString(value);
            if (JsonInterop.IsFunction(value)) throw new JsonConversionException("is a function, not data");
            if (value.AsObject() is JsDate date) return JsonInterop.IsoText(date) ?? "";
            return JsonInterop.ToJsonNode(value, limits.MaxResultBytes) switch
            {
                null => "",
                JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
                var json => JsonInterop.ToText(json),
            };
        }
        catch (Exception e)
        {
            throw ExpressionFailure.From(e, limits, kind, code);
        }
    }

    /// <summary>Globals the script created, or changed compared with <paramref name="variables"/>: properties of
    /// the global object (<c>var</c>, assignments) and the <c>let</c> and <c>const</c> bindings of its top level,
    /// which win over a property of the same name as they do in the script.</summary>
    public IReadOnlyDictionary<string, JsonNode?> ChangedVariables(
        IReadOnlyDictionary<string, JsonNode?> variables, IReadOnlySet<string> lexicalGlobals, string kind, string code)
    {
        var changed = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var names = engine.Global.GetOwnProperties().Where(p => p.Key.IsString()).Select(p => p.Key.ToString())
            .Where(name => !lexicalGlobals.Contains(name)).ToList();
        foreach (var name in names.Concat(lexicalGlobals))
        {
            var isInput = defined.Contains(name) || variables.ContainsKey(name);
            if (!isInput && !lexicalGlobals.Contains(name) && Sandbox.BuiltInGlobals.Contains(name)) continue;

            JsonNode? after;
            try
            {
                var value = lexicalGlobals.Contains(name) ? engine.Evaluate(ProgramCache.Shared.Expression(name).Prepared) : engine.Global.Get(name);
                if (value.IsUndefined() || JsonInterop.IsFunction(value)) continue;
                after = JsonInterop.ToJsonNode(value, limits.MaxResultBytes);
            }
            catch (JsonConversionException e)
            {
                throw ExpressionFailure.Failed(kind, code, $"variable '{name}' {e.Message}", e);
            }
            catch (Exception e)
            {
                throw ExpressionFailure.From(e, limits, kind, code);
            }

            if (isInput && variables.TryGetValue(name, out var before) && JsonNode.DeepEquals(before, after)) continue;
            changed[name] = after;
        }

        return changed;
    }

    /// <summary>Defines the variables the programs can read: those they name, or all of them when a program
    /// uses <c>this</c>. Converting a large variable nobody reads would be the most expensive part of a run.</summary>
    private void Define(IReadOnlyDictionary<string, JsonNode?> variables, IReadOnlyList<ParsedProgram> programs, string kind, string code)
    {
        IEnumerable<string> names = programs.Any(p => p.Shape.UsesThis)
            ? variables.Keys
            : programs.SelectMany(p => p.Shape.Globals).Where(variables.ContainsKey);
        foreach (var name in names)
        {
            if (!defined.Add(name)) continue;
            try
            {
                engine.SetValue(name, JsonInterop.ToJsValue(engine, variables[name]));
            }
            catch (JsonConversionException e)
            {
                throw ExpressionFailure.Failed(kind, code, $"variable '{name}' {e.Message}", e);
            }
        }
    }
}
