using System.Globalization;
using System.Text.RegularExpressions;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Error;
using Jint.Parser.Ast;
using Jint.Runtime;

namespace WeOps.Engine.Expressions;

/// <summary>Turns what Jint throws into an <see cref="ExpressionException"/> whose message a process author can
/// act on: which code, what went wrong, no stack trace.</summary>
internal static class ExpressionFailure
{
    private const int MaxQuotedLength = 120;

    /// <param name="kind">"Expression", "Condition", "Template" or "Script": how the message names the code.</param>
    public static ExpressionException Failed(string kind, string code, string cause, Exception? inner = null) =>
        new(code, $"{kind} {Quote(code)} failed: {cause}", inner);

    public static ExpressionException Stopped(string kind, string code, string reason, Exception? inner = null) =>
        new(code, $"{kind} {Quote(code)} stopped: {reason}", inner);

    public static ExpressionException TimedOut(string kind, string code, ExpressionLimits limits, Exception? inner = null) =>
        Stopped(kind, code, $"it ran longer than {Duration(limits.Timeout)}", inner);

    /// <summary>Describes an exception thrown while running code in <paramref name="engine"/>.</summary>
    public static ExpressionException From(Exception e, JsEngine engine, ExpressionLimits limits, string kind, string code) => e switch
    {
        ExpressionException known => known,
        JavaScriptException js => Failed(kind, code, Thrown(js, engine) + Where(js, kind), js),
        JsonConversionException conversion => Failed(kind, code, $"its value {conversion.Message}", conversion),
        RegexMatchTimeoutException => Stopped(kind, code, "a regular expression took too long", e),
        TimeoutException => TimedOut(kind, code, limits, e),
        StatementsCountOverflowException => Stopped(kind, code, $"it ran more than {limits.MaxStatements.ToString("N0", CultureInfo.InvariantCulture)} statements", e),
        RecursionDepthOverflowException => Stopped(kind, code, $"function calls nested more than {limits.MaxRecursion} deep", e),
        InsufficientExecutionStackException => Stopped(kind, code, "it nested too deeply", e),
        OutOfMemoryException => Stopped(kind, code, "it ran out of memory", e),
        // Anything else is a fault of Jint's on unusual code; still the code's failure, not the caller's.
        _ => Failed(kind, code, $"the JavaScript engine failed ({e.GetType().Name}: {e.Message})", e),
    };

    /// <summary>What a value is, for messages: "a number", "an object", "undefined".</summary>
    public static string Describe(JsValue value) => value.Type switch
    {
        Types.Undefined => "undefined",
        Types.Null => "null",
        Types.Boolean => "a boolean",
        Types.Number => "a number",
        Types.String => "a string",
        _ when value.IsArray() => "an array",
        _ when JsonInterop.IsFunction(value) => "a function",
        _ => "an object",
    };

    /// <summary>The code in quotes, on one line, shortened to about 120 characters.</summary>
    public static string Quote(string code)
    {
        var oneLine = string.Join(' ', code.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= MaxQuotedLength ? $"'{oneLine}'" : $"'{oneLine[..(MaxQuotedLength - 3)]}...'";
    }

    private static string Thrown(JavaScriptException e, JsEngine engine)
    {
        try
        {
            var error = e.Error;
            if (error.IsObject() && error.AsObject() is ErrorInstance instance)
            {
                var name = TypeConverter.ToString(instance.Get("name"));
                var message = TypeConverter.ToString(instance.Get("message"));
                // Jint throws a bare TypeError when a property is read from undefined or null; the property it
                // was reading is the name it made a literal of last.
                if (message.Length == 0 && name == "TypeError"
                    && engine.GetLastSyntaxNode() is Literal { Location: null, Value: string property })
                    message = $"cannot read property '{property}' of undefined or null";
                return message.Length == 0 ? name : $"{name}: {message}";
            }

            if (error.IsString()) return $"it threw \"{error.AsString()}\"";
            if (error.IsObject()) return $"it threw {JsonInterop.ToJsonText(error, 1024)}";
            return $"it threw {TypeConverter.ToString(error)}";
        }
        catch (Exception)
        {
            // Reading the thrown value ran code that failed too: say what can be said without it.
            return "it threw an error";
        }
    }

    private static string Where(JavaScriptException e, string kind) =>
        kind == "Script" && e.Location is { } location ? $" (line {location.Start.Line})" : "";

    private static string Duration(TimeSpan span) =>
        span.TotalMilliseconds % 1000 == 0
            ? $"{span.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"
            : $"{span.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
}
