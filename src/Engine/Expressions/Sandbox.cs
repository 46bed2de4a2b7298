using System.Globalization;
using System.Runtime.CompilerServices;
using Jint;
using Jint.Constraints;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using JsEngine = Jint.Engine;

namespace WeOps.Engine.Expressions;

/// <summary>Makes the Jint engines expressions run in: one per evaluation, with no CLR access (AllowClr is
/// never called), the limits applied (see ADR 0016), invariant culture and UTC as local time, and these changes
/// to the standard built-ins:
/// <list type="bullet">
/// <item><c>eval</c> and the <c>Function</c> constructors throw: all code comes from the process file, where it
/// is checked when the process is published.</item>
/// <item><c>Math.random</c> is safe to call from many threads.</item>
/// <item>Built-ins that recurse through their arguments without running a statement (an error whose name is
/// itself, a <c>toLocaleString</c> or <c>toJSON</c> that calls itself) stop with a RangeError instead of
/// overflowing the stack, which would end the process: neither the statement nor the recursion limit sees such
/// recursion. <c>flat</c>, which recurses inside Jint, flattens at most <see cref="MaxFlatDepth"/> levels.</item>
/// </list></summary>
internal static class Sandbox
{
    /// <summary>Jint's message when code is compiled from a string, which <see cref="ExpressionFailure"/>
    /// words for the author.</summary>
    /// <summary>As deep as a variable may nest (see <see cref="JsonInterop"/>).</summary>
    public const int MaxFlatDepth = 256;

    public const string StringCompilationRefused = "String compilation has been disabled in engine options";

    private static readonly Lazy<IReadOnlySet<string>> BuiltInNames = new(() =>
        Names(CreateEngine(ExpressionLimits.Default, new OperationDeadlineConstraint()).Global));

    private static readonly Lazy<IReadOnlySet<string>> ObjectPrototypeNames = new(() =>
    {
        var names = new HashSet<string>(Names(CreateEngine(ExpressionLimits.Default, new OperationDeadlineConstraint()).Intrinsics.Object.PrototypeObject), StringComparer.Ordinal);
        names.Add("__proto__");
        return names;
    });

    /// <summary>The globals a fresh engine has before any variable is defined.</summary>
    public static IReadOnlySet<string> BuiltInGlobals => BuiltInNames.Value;

    /// <summary>The properties every object of a fresh engine inherits (toString, hasOwnProperty...), and
    /// __proto__.</summary>
    public static IReadOnlySet<string> InheritedNames => ObjectPrototypeNames.Value;

    /// <param name="deadline">The wall-clock limit, which the caller begins once for the whole evaluation: the
    /// engine's own timeout starts again at each program a template runs.</param>
    public static JsEngine CreateEngine(ExpressionLimits limits, OperationDeadlineConstraint deadline)
    {
        var engine = new JsEngine(options =>
        {
            options.Constraint(deadline)
                .MaxStatements(limits.MaxStatements)
                .LimitRecursion(limits.MaxRecursion)
                .LimitMemory(limits.MaxMemoryBytes)
                .DisableStringCompilation()
                .Culture(CultureInfo.InvariantCulture)
                .LocalTimeZone(TimeZoneInfo.Utc);
            options.Constraints.RegexTimeout = limits.Timeout;
        });

        Set(engine.Global.Get("Math").AsObject(), "random", new ClrFunction(engine, "random", (_, _) => Random.Shared.NextDouble(), 0));
        Guard(engine, "Array", "join", "toString", "toLocaleString");
        LimitFlatDepth(engine);
        Guard(engine, "Object", "toLocaleString");
        Guard(engine, "Error", "toString");
        Guard(engine, "Date", "toJSON");
        return engine;
    }

    private static void Guard(JsEngine engine, string constructor, params string[] methods)
    {
        var prototype = engine.Global.Get(constructor).AsObject().Get("prototype").AsObject();
        foreach (var name in methods)
        {
            var original = prototype.Get(name);
            var length = (int)TypeConverter.ToNumber(original.AsObject().Get("length"));
            Set(prototype, name, new ClrFunction(engine, name, (self, arguments) =>
                RuntimeHelpers.TryEnsureSufficientExecutionStack()
                    ? engine.Call(original, self, arguments)
                    : throw new JavaScriptException(engine.Construct("RangeError", "Maximum call stack size exceeded")), length));
        }
    }

    private static void LimitFlatDepth(JsEngine engine)
    {
        var prototype = engine.Global.Get("Array").AsObject().Get("prototype").AsObject();
        var flat = prototype.Get("flat");
        Set(prototype, "flat", new ClrFunction(engine, "flat", (self, arguments) =>
        {
            var depth = arguments.Length == 0 || arguments[0].IsUndefined() ? 1 : TypeConverter.ToNumber(arguments[0]);
            return engine.Call(flat, self, [double.IsNaN(depth) ? 0 : Math.Min(depth, MaxFlatDepth)]);
        }, 0));
    }

    private static HashSet<string> Names(ObjectInstance owner) =>
        owner.GetOwnProperties().Select(p => p.Key.ToString()).ToHashSet(StringComparer.Ordinal);

    /// <summary>Sets a property with the attributes of a standard built-in method.</summary>
    private static void Set(ObjectInstance owner, string name, JsValue value) =>
        owner.FastSetProperty(name, new PropertyDescriptor(value, writable: true, enumerable: false, configurable: true));
}
