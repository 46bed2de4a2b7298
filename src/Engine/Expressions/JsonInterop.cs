using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Runtime;
using JsEngine = Jint.Engine;

namespace WeOps.Engine.Expressions;

/// <summary>A value that cannot cross between JSON and JavaScript; <see cref="Exception.Message"/> completes a
/// sentence about the value ("is NaN, which JSON cannot hold").</summary>
internal sealed class JsonConversionException(string message) : Exception(message);

/// <summary>Moves values between process variables (JSON) and JavaScript, walking them directly: about five
/// times faster than going through JSON text and Jint's JSON parser.</summary>
internal static class JsonInterop
{
    /// <summary>How deeply a value may nest, either way. Matches the default of System.Text.Json, so what an
    /// expression gives back can be stored and read again; it also stops a value that holds itself.</summary>
    public const int MaxDepth = 64;

    // Deeper variables are refused before JavaScript sees them: Jint recurses through nested values.
    private const int MaxVariableDepth = 256;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonSerializerOptions TextOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The value <see cref="ToJsValue"/> makes of a node, for reading it without an engine: objects and
    /// arrays stay JSON. Kept beside <see cref="ToJsValue"/> because the two must agree on every node.</summary>
    public static DirectValue ToDirectValue(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return DirectValue.Null;
            case JsonObject json:
                return DirectValue.Of(json);
            case JsonArray json:
                return DirectValue.Of(json);
            default:
                var primitive = node.AsValue();
                return primitive.GetValueKind() switch
                {
                    JsonValueKind.String => DirectValue.Of(StringOf(primitive)),
                    JsonValueKind.Number => DirectValue.Of(NumberOf(primitive)),
                    JsonValueKind.True => DirectValue.True,
                    JsonValueKind.False => DirectValue.False,
                    _ => DirectValue.Null,
                };
        }
    }

    /// <summary>False when <see cref="ToJsValue"/> would refuse the node for nesting too deeply.</summary>
    public static bool FitsVariableDepth(JsonNode? node, int depth = 0)
    {
        if (depth > MaxVariableDepth) return false;
        switch (node)
        {
            case JsonObject json:
                for (var i = 0; i < json.Count; i++)
                {
                    if (!FitsVariableDepth(json.GetAt(i).Value, depth + 1)) return false;
                }

                return true;
            case JsonArray json:
                for (var i = 0; i < json.Count; i++)
                {
                    if (!FitsVariableDepth(json[i], depth + 1)) return false;
                }

                return true;
            default:
                return true;
        }
    }

    public static JsValue ToJsValue(JsEngine engine, JsonNode? node, int depth = 0)
    {
        if (depth > MaxVariableDepth) throw new JsonConversionException($"nests deeper than {MaxVariableDepth} levels");
        switch (node)
        {
            case null:
                return JsValue.Null;
            case JsonObject json:
                var obj = new JsObject(engine);
                foreach (var (name, value) in json) obj.FastSetDataProperty(name, ToJsValue(engine, value, depth + 1));
                return obj;
            case JsonArray json:
                var items = new JsValue[json.Count];
                for (var i = 0; i < items.Length; i++) items[i] = ToJsValue(engine, json[i], depth + 1);
                return new JsArray(engine, items);
            default:
                var primitive = node.AsValue();
                return primitive.GetValueKind() switch
                {
                    JsonValueKind.String => new JsString(StringOf(primitive)),
                    JsonValueKind.Number => new JsNumber(NumberOf(primitive)),
                    JsonValueKind.True => JsBoolean.True,
                    JsonValueKind.False => JsBoolean.False,
                    _ => JsValue.Null,
                };
        }
    }

    /// <summary>A JavaScript value as JSON: undefined and null give null, a date its ISO 8601 text.</summary>
    /// <exception cref="JsonConversionException">NaN or an infinity, a function, a value nested deeper than
    /// <see cref="MaxDepth"/> (or holding itself), or more than <paramref name="maxBytes"/> of JSON.</exception>
    public static JsonNode? ToJsonNode(JsValue value, int maxBytes)
    {
        if (value.IsUndefined() || value.IsNull()) return null;
        if (value.IsString()) return CheckedString(value.AsString(), maxBytes);
        if (value.IsBoolean()) return JsonValue.Create(value.AsBoolean());

        var json = WriteJson(value, maxBytes);
        return JsonNode.Parse(json.WrittenSpan, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth + 1 });
    }

    /// <summary>JSON text of a value, for a part of a mixed template.</summary>
    public static string ToJsonText(JsValue value, int maxBytes) => Encoding.UTF8.GetString(WriteJson(value, maxBytes).WrittenSpan);

    /// <summary>JSON text of a node as a person would write it: non-ASCII characters are not escaped.</summary>
    public static string ToText(JsonNode node) => node.ToJsonString(TextOptions);

    /// <summary>A date as JSON.stringify writes it, or null for an invalid date.</summary>
    public static string? IsoText(JsDate date)
    {
        var milliseconds = date.DateValue;
        if (double.IsNaN(milliseconds)) return null;
        if (milliseconds < -62135596800000d || milliseconds > 253402300799999d)
            throw new JsonConversionException("is a date outside the years 1 to 9999");
        return DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    public static void CheckNumber(double number)
    {
        if (double.IsNaN(number)) throw new JsonConversionException("is NaN, which JSON cannot hold");
        if (double.IsInfinity(number)) throw new JsonConversionException("is Infinity, which JSON cannot hold");
    }

    /// <summary>True when <see cref="ToJsonNode"/> takes the text as a result of at most <paramref name="maxBytes"/>.</summary>
    public static bool FitsResult(string text, int maxBytes) =>
        // A UTF-16 character is one to three bytes of UTF-8, so most texts need no encoding to be sure.
        text.Length <= maxBytes / 3 || (text.Length <= maxBytes && Encoding.UTF8.GetByteCount(text) + 2 <= maxBytes);

    private static JsonValue CheckedString(string text, int maxBytes) =>
        FitsResult(text, maxBytes) ? JsonValue.Create(text) : throw TooLarge(maxBytes);

    private static ArrayBufferWriter<byte> WriteJson(JsValue value, int maxBytes)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        if (IsFunction(value)) throw new JsonConversionException("is a function, not data");
        Write(writer, value, 0, maxBytes);
        writer.Flush();
        return buffer;
    }

    private static void Write(Utf8JsonWriter writer, JsValue value, int depth, int maxBytes)
    {
        if (writer.BytesCommitted + writer.BytesPending > maxBytes) throw TooLarge(maxBytes);
        switch (value.Type)
        {
            case Types.Undefined or Types.Null:
                writer.WriteNullValue();
                return;
            case Types.Boolean:
                writer.WriteBooleanValue(value.AsBoolean());
                return;
            case Types.String:
                var text = value.AsString();
                if (text.Length > maxBytes) throw TooLarge(maxBytes);
                writer.WriteStringValue(text);
                return;
            case Types.Number:
                WriteNumber(writer, value.AsNumber());
                return;
        }

        if (depth >= MaxDepth) throw new JsonConversionException($"nests deeper than {MaxDepth} levels, or holds itself");
        var obj = value.AsObject();
        switch (obj)
        {
            case JsDate date:
                if (IsoText(date) is { } iso) writer.WriteStringValue(iso);
                else writer.WriteNullValue();
                return;
            case JsArray:
                writer.WriteStartArray();
                var length = TypeConverter.ToUint32(obj.Get("length"));
                for (uint i = 0; i < length; i++)
                {
                    var item = obj.Get(i.ToString(CultureInfo.InvariantCulture));
                    if (IsFunction(item)) writer.WriteNullValue();
                    else Write(writer, item, depth + 1, maxBytes);
                    if (writer.BytesCommitted + writer.BytesPending > maxBytes) throw TooLarge(maxBytes);
                }

                writer.WriteEndArray();
                return;
        }

        // A String, Number or Boolean object: JSON.stringify writes its primitive.
        if (obj is IJsPrimitive)
        {
            Write(writer, TypeConverter.ToPrimitive(value), depth, maxBytes);
            return;
        }

        writer.WriteStartObject();
        // Listed first: a getter may add properties while the object is written.
        foreach (var (name, descriptor) in obj.GetOwnProperties().ToList())
        {
            if (descriptor.Enumerable != true || name.IsSymbol()) continue;
            var property = obj.Get(name);
            if (property.IsUndefined() || IsFunction(property)) continue;
            writer.WritePropertyName(name.ToString());
            Write(writer, property, depth + 1, maxBytes);
        }

        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, double number)
    {
        CheckNumber(number);
        // Whole numbers are written as integers ("2", not "2.0"), and -0 as 0.
        if (Math.Abs(number) < 9007199254740992d && number == Math.Floor(number)) writer.WriteNumberValue((long)number);
        else writer.WriteNumberValue(number);
    }

    public static bool IsFunction(JsValue value) => value.IsCallable();

    private static string StringOf(JsonValue value)
    {
        if (value.TryGetValue<string>(out var text)) return text;
        // A value made from a DateTime, Guid or char: read its JSON text.
        using var document = JsonDocument.Parse(value.ToJsonString());
        return document.RootElement.GetString() ?? "";
    }

    private static double NumberOf(JsonValue value)
    {
        if (value.TryGetValue<double>(out var number)) return number;
        if (value.TryGetValue<long>(out var whole)) return whole;
        if (value.TryGetValue<int>(out var small)) return small;
        return double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static JsonConversionException TooLarge(int maxBytes) =>
        new($"is larger than {maxBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes of JSON: the result size limit ({ExpressionLimits.MaxResultBytesKey})");
}
