using System.Globalization;
using System.Runtime.CompilerServices;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace WeOps.Engine.Expressions;

/// <summary>Makes the Jint engines expressions run in: one per evaluation, with no CLR access (AllowClr is
/// never called), the limits applied, invariant culture and UTC as local time, and these changes to the
/// standard built-ins:
/// <list type="bullet">
/// <item><c>eval</c> and the <c>Function</c> constructor throw: all code comes from the process file, where it
/// is checked when the process is published.</item>
/// <item><c>Math.random</c> is safe to call from many threads (Jint's shares one <see cref="Random"/>).</item>
/// <item>Built-ins that recurse through their arguments without running a statement (array <c>join</c> on an
/// array that holds itself, a <c>toLocaleString</c> or <c>toJSON</c> that calls itself) stop with a
/// RangeError instead of overflowing the stack; a cyclic array joins as "" as in browsers.</item>
/// </list></summary>
internal static class Sandbox
{
    private static readonly Lazy<IReadOnlySet<string>> BuiltInNames = new(() =>
        CreateEngine(ExpressionLimits.Default).Global.GetOwnProperties().Select(p => p.Key).ToHashSet(StringComparer.Ordinal));

    private static readonly Lazy<IReadOnlySet<string>> ObjectPrototypeNames = new(() =>
        CreateEngine(ExpressionLimits.Default).Object.PrototypeObject.GetOwnProperties().Select(p => p.Key)
            .Append("__proto__").ToHashSet(StringComparer.Ordinal));

    /// <summary>The globals a fresh engine has before any variable is defined.</summary>
    public static IReadOnlySet<string> BuiltInGlobals => BuiltInNames.Value;

    /// <summary>The properties every object of a fresh engine inherits (toString, hasOwnProperty...), and
    /// __proto__, which newer engines add.</summary>
    public static IReadOnlySet<string> InheritedNames => ObjectPrototypeNames.Value;

    public static JsEngine CreateEngine(ExpressionLimits limits)
    {
        var engine = new JsEngine(options => options
            .TimeoutInterval(limits.Timeout)
            .MaxStatements(limits.MaxStatements)
            .LimitRecursion(limits.MaxRecursion)
            .Culture(CultureInfo.InvariantCulture)
            .LocalTimeZone(TimeZoneInfo.Utc));

        RefuseCodeFromStrings(engine);
        Replace(engine, engine.Math, "random", 0, (_, _) => Random.Shared.NextDouble());

        // One set per method: toString calling join on the same array is no cycle.
        foreach (var name in new[] { "join", "toString", "toLocaleString" })
            Guard(engine, engine.Array.PrototypeObject, name, new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance));
        Guard(engine, engine.Object.PrototypeObject, "toLocaleString", cycles: null);
        Guard(engine, engine.Error.PrototypeObject, "toString", cycles: null);
        Guard(engine, engine.Date.PrototypeObject, "toJSON", cycles: null);
        return engine;
    }

    private static void RefuseCodeFromStrings(JsEngine engine)
    {
        Replace(engine, engine.Global, "eval", 1, (_, _) =>
            throw new JavaScriptException(engine.EvalError, "eval is not available: write the code itself"));

        var function = new ClrFunctionInstance(engine, (_, _) =>
            throw new JavaScriptException(engine.EvalError, "Function() is not available: write a function expression"), 1);
        // Keeps `f instanceof Function` working.
        function.FastAddProperty("prototype", engine.Function.PrototypeObject, false, false, false);
        Set(engine.Global, "Function", function);
        // Every function reaches the constructor through its prototype: (function(){}).constructor("code").
        Set(engine.Function.PrototypeObject, "constructor", function);
    }

    private static void Guard(JsEngine engine, ObjectInstance owner, string name, HashSet<ObjectInstance>? cycles)
    {
        var original = (FunctionInstance)owner.Get(name).AsObject();
        var length = (int)TypeConverter.ToNumber(original.Get("length"));
        Replace(engine, owner, name, length, (self, arguments) =>
        {
            if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
                throw new JavaScriptException(engine.RangeError, "Maximum call stack size exceeded");
            if (cycles is null || !self.IsObject()) return original.Call(self, arguments);

            var target = self.AsObject();
            if (!cycles.Add(target)) return "";
            try
            {
                return original.Call(self, arguments);
            }
            finally
            {
                cycles.Remove(target);
            }
        });
    }

    private static void Replace(JsEngine engine, ObjectInstance owner, string name, int length, Func<JsValue, JsValue[], JsValue> body) =>
        Set(owner, name, new ClrFunctionInstance(engine, body, length));

    /// <summary>Sets a property with the attributes of a standard built-in method.</summary>
    private static void Set(ObjectInstance owner, string name, JsValue value) =>
        owner.FastSetProperty(name, new PropertyDescriptor(value, writable: true, enumerable: false, configurable: true));
}
