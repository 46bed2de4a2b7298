using System.Globalization;
using System.Text.RegularExpressions;
using Jint;
using Jint.Native;
using Jint.Native.Error;
using Jint.Runtime;

namespace WeOps.Engine.Expressions;

/// <summary>Turns what Jint throws into an <see cref="ExpressionException"/> whose message a process author can
/// act on: which code, what went wrong, no stack trace. A limit that stopped the code is named with its
/// configuration key, so that the incident says what to change.</summary>
internal static class ExpressionFailure
{
    private const int MaxQuotedLength = 120;

    /// <param name="kind">"Expression", "Condition", "Template" or "Script": how the message names the code.</param>
    public static ExpressionException Failed(string kind, string code, string cause, Exception? inner = null) =>
        new(code, $"{kind} {Quote(code)} failed: {cause}", inner);

    /// <param name="how">Completes "stopped ...": "after 2 s".</param>
    public static ExpressionException Stopped(string kind, string code, string how, string limit, string key, Exception? inner = null) =>
        new(code, $"{kind} {Quote(code)} stopped {how}: the {limit} ({key})", inner);

    public static ExpressionException TimedOut(string kind, string code, ExpressionLimits limits, Exception? inner = null) =>
        Stopped(kind, code, $"after {Duration(limits.Timeout)}", "expression time limit", ExpressionLimits.TimeoutKey, inner);

    /// <summary>Describes an exception thrown while running code.</summary>
    public static ExpressionException From(Exception e, ExpressionLimits limits, string kind, string code) => e switch
    {
        ExpressionException known => known,
        JavaScriptException js when IsStringCompilation(js) =>
            Failed(kind, code, "EvalError: eval and the Function constructor are not available: write the code itself", js),
        JavaScriptException js => Failed(kind, code, Thrown(js) + Where(js, kind), js),
        JsonConversionException conversion => Failed(kind, code, $"its value {conversion.Message}", conversion),
        RegexMatchTimeoutException => Stopped(kind, code, $"in a regular expression after {Duration(limits.Timeout)}",
            "expression time limit", ExpressionLimits.TimeoutKey, e),
        TimeoutException or OperationCanceledException => TimedOut(kind, code, limits, e),
        StatementsCountOverflowException => Stopped(kind, code, $"after {Count(limits.MaxStatements)} statements",
            "statement limit", ExpressionLimits.MaxStatementsKey, e),
        RecursionDepthOverflowException => Stopped(kind, code, $"at {Count(limits.MaxRecursion)} nested calls",
            "recursion limit", ExpressionLimits.MaxRecursionKey, e),
        MemoryLimitExceededException or OutOfMemoryException => Stopped(kind, code, $"after allocating {Bytes(limits.MaxMemoryBytes)}",
            "memory limit", ExpressionLimits.MaxMemoryBytesKey, e),
        // The stack of a script thread is sized from the statement limit (see ScriptThread).
        InsufficientExecutionStackException => Stopped(kind, code, "nesting too deeply for its stack",
            "statement limit, which sizes the stack", ExpressionLimits.MaxStatementsKey, e),
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

    /// <summary>"2 s", "50 ms".</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalMilliseconds % 1000 == 0
            ? $"{span.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s"
            : $"{span.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms";

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string Bytes(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{Count(bytes / (1024 * 1024))} MB" : $"{Count(bytes)} bytes";

    private static bool IsStringCompilation(JavaScriptException e) =>
        e.Message.Contains(Sandbox.StringCompilationRefused, StringComparison.Ordinal);

    private static string Thrown(JavaScriptException e)
    {
        try
        {
            var error = e.Error;
            if (error.IsObject() && error.AsObject() is ErrorInstance instance)
            {
                var name = TypeConverter.ToString(instance.Get("name"));
                var message = TypeConverter.ToString(instance.Get("message"));
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
        kind == "Script" && e.Location.Start.Line > 0 ? $" (line {e.Location.Start.Line})" : "";
}
