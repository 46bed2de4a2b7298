using System.Text.Json;
using System.Text.Json.Nodes;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Date;
using Jint.Runtime;

namespace WeOps.Engine.Expressions;

/// <summary>One evaluation: a fresh sandboxed engine holding the variables its programs can read. It runs on the
/// caller's thread when every program allows it, else on a <see cref="ScriptThread"/>; either way all its work,
/// from defining variables to converting results, happens on one thread.</summary>
internal sealed class Evaluation
{
    // Jint stops between statements at the timeout; the script thread is abandoned only when one statement
    // outlives it by this much.
    private static readonly TimeSpan ThreadGrace = TimeSpan.FromSeconds(1);

    private readonly JsEngine engine;
    private readonly ExpressionLimits limits;
    private readonly HashSet<string> defined = new(StringComparer.Ordinal);

    private Evaluation(ExpressionLimits limits)
    {
        this.limits = limits;
        engine = Sandbox.CreateEngine(limits);
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
            var evaluation = new Evaluation(limits);
            evaluation.Define(variables, programs, kind, code);
            return body(evaluation);
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
            return engine.Execute(program.ProgramForRun()).GetCompletionValue();
        }
        catch (Exception e)
        {
            throw ExpressionFailure.From(e, engine, limits, kind, code);
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
            throw ExpressionFailure.From(e, engine, limits, kind, code);
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
            if (value.AsObject() is DateInstance date) return JsonInterop.IsoText(date) ?? "";
            return JsonInterop.ToJsonNode(value, limits.MaxResultBytes) switch
            {
                null => "",
                JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
                var json => JsonInterop.ToText(json),
            };
        }
        catch (Exception e)
        {
            throw ExpressionFailure.From(e, engine, limits, kind, code);
        }
    }

    /// <summary>Globals the script created, or changed compared with <paramref name="variables"/>.</summary>
    public IReadOnlyDictionary<string, JsonNode?> ChangedVariables(IReadOnlyDictionary<string, JsonNode?> variables, string kind, string code)
    {
        var changed = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var name in engine.Global.GetOwnProperties().Select(p => p.Key).ToList())
        {
            var isInput = defined.Contains(name);
            if (!isInput && Sandbox.BuiltInGlobals.Contains(name)) continue;

            JsonNode? after;
            try
            {
                var value = engine.Global.Get(name);
                if (value.IsUndefined() || JsonInterop.IsFunction(value)) continue;
                after = JsonInterop.ToJsonNode(value, limits.MaxResultBytes);
            }
            catch (JsonConversionException e)
            {
                throw ExpressionFailure.Failed(kind, code, $"variable '{name}' {e.Message}", e);
            }
            catch (Exception e)
            {
                throw ExpressionFailure.From(e, engine, limits, kind, code);
            }

            if (isInput && JsonNode.DeepEquals(variables[name], after)) continue;
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
