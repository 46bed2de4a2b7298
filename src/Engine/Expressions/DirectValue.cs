using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Runtime;

namespace WeOps.Engine.Expressions;

internal enum DirectKind : byte
{
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Object,
    Array,
}

/// <summary>A value of an expression evaluated without an engine (see <see cref="DirectExpression"/>): a
/// JavaScript primitive, or an object or array of the variables, still as JSON.</summary>
internal readonly struct DirectValue
{
    public static readonly DirectValue Undefined = default;
    public static readonly DirectValue Null = new(DirectKind.Null, 0, null);
    public static readonly DirectValue True = new(DirectKind.Boolean, 1, null);
    public static readonly DirectValue False = new(DirectKind.Boolean, 0, null);

    private readonly double number;
    private readonly object? reference;

    private DirectValue(DirectKind kind, double number, object? reference)
    {
        Kind = kind;
        this.number = number;
        this.reference = reference;
    }

    public DirectKind Kind { get; }

    public bool IsPrimitive => Kind < DirectKind.Object;

    public bool IsNullOrUndefined => Kind is DirectKind.Undefined or DirectKind.Null;

    public bool Boolean => number != 0;

    public double Number => number;

    public string Text => (string)reference!;

    public JsonObject Object => (JsonObject)reference!;

    public JsonArray Array => (JsonArray)reference!;

    /// <summary>JavaScript's ToBoolean.</summary>
    public bool IsTruthy => Kind switch
    {
        DirectKind.Boolean => Boolean,
        DirectKind.Number => number != 0 && !double.IsNaN(number),
        DirectKind.String => Text.Length > 0,
        DirectKind.Object or DirectKind.Array => true,
        _ => false,
    };

    public static DirectValue Of(bool flag) => flag ? True : False;

    public static DirectValue Of(double value) => new(DirectKind.Number, value, null);

    public static DirectValue Of(string text) => new(DirectKind.String, 0, text);

    public static DirectValue Of(JsonObject json) => new(DirectKind.Object, 0, json);

    public static DirectValue Of(JsonArray json) => new(DirectKind.Array, 0, json);

    /// <summary>The result as <see cref="JsonInterop.ToJsonNode"/> makes it of the same value in an engine. False
    /// for what the engine must convert itself: an object or array, and the values it refuses with an error
    /// (NaN, an infinity, a text over the limit).</summary>
    public bool TryToJson(int maxBytes, out JsonNode? json)
    {
        json = null;
        switch (Kind)
        {
            case DirectKind.Undefined or DirectKind.Null:
                return true;
            case DirectKind.Boolean:
                json = JsonInterop.ToJsonNode(Boolean ? JsBoolean.True : JsBoolean.False, maxBytes);
                return true;
            case DirectKind.Number when double.IsFinite(number):
                json = JsonInterop.ToJsonNode(new JsNumber(number), maxBytes);
                return true;
            case DirectKind.String when JsonInterop.FitsResult(Text, maxBytes):
                json = JsonInterop.ToJsonNode(new JsString(Text), maxBytes);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The value as a part of a mixed template writes it (String(x); null and undefined as nothing).
    /// False for an object or array, and for NaN and the infinities, which the engine refuses with an error.</summary>
    public bool TryToTemplateText([NotNullWhen(true)] out string? text)
    {
        text = Kind switch
        {
            DirectKind.Undefined or DirectKind.Null => "",
            DirectKind.Boolean => Boolean ? "true" : "false",
            // Jint's number-to-text needs no engine: the same digits as String(x) in a run.
            DirectKind.Number when double.IsFinite(number) => TypeConverter.ToString(new JsNumber(number)),
            DirectKind.String => Text,
            _ => null,
        };
        return text is not null;
    }
}
