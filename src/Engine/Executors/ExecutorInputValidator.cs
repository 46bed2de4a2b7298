using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using FluentValidation;

namespace WeOps.Engine.Executors;

/// <summary>Checks a set of inputs against an executor's descriptor: required inputs present,
/// values of the declared type, enumerations among their options.</summary>
public sealed class ExecutorInputValidator : AbstractValidator<JsonObject>
{
    public ExecutorInputValidator(ExecutorDescriptor descriptor)
    {
        foreach (var input in descriptor.Inputs)
        {
            var name = input.Name;
            if (input.Required)
            {
                RuleFor(o => o[name])
                    .Must(v => v is not null && !(v is JsonValue s && s.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(s.GetValue<string>())))
                    .WithName(name)
                    .WithMessage($"{descriptor.Type}: input '{name}' is required.");
            }

            RuleFor(o => o[name])
                .Must(v => v is null || Fits(input, v))
                .WithName(name)
                .WithMessage(o => $"{descriptor.Type}: input '{name}' {Expectation(input)}, got {Describe(o[name])}.");
        }
    }

    /// <summary>The inputs with each boolean, array or object input that arrived as text replaced by the JSON the
    /// text spells (<c>"true"</c> becomes <c>true</c>, <c>"[\"a\"]"</c> a list). A value written in the file without
    /// <c>${}</c> reaches the executor as text, and the validator reads such a literal as JSON (it is what the
    /// designer writes for a boolean), so the run must read it the same way. Text that spells no such value is
    /// left alone for the type check to name.</summary>
    public static JsonObject ReadLiterals(ExecutorDescriptor descriptor, JsonObject inputs)
    {
        JsonObject? read = null;
        foreach (var input in descriptor.Inputs)
        {
            if (input.Type is not (InputType.Boolean or InputType.Array or InputType.Object)) continue;
            if (inputs[input.Name] is not JsonValue text || text.GetValueKind() != JsonValueKind.String) continue;
            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(text.GetValue<string>());
            }
            catch (JsonException)
            {
                continue;
            }

            if (parsed is null || !Fits(input, parsed)) continue;
            read ??= (JsonObject)inputs.DeepClone();
            read[input.Name] = parsed;
        }

        return read ?? inputs;
    }

    /// <summary>Whether a literal value fits the input's type. Used on evaluated inputs at run time,
    /// and at design time on values that hold no expression.</summary>
    public static bool Fits(InputDescriptor input, JsonNode value)
    {
        var kind = value.GetValueKind();
        return input.Type switch
        {
            InputType.String => kind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False,
            InputType.Integer => kind == JsonValueKind.Number ? IsInteger(value) : kind == JsonValueKind.String && long.TryParse(value.GetValue<string>(), out _),
            InputType.Number => kind == JsonValueKind.Number || (kind == JsonValueKind.String && double.TryParse(value.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _)),
            InputType.Boolean => kind is JsonValueKind.True or JsonValueKind.False,
            InputType.Enum => kind == JsonValueKind.String && input.Options.Contains(value.GetValue<string>(), StringComparer.OrdinalIgnoreCase),
            InputType.Array => kind == JsonValueKind.Array,
            InputType.Object => kind == JsonValueKind.Object,
            InputType.Duration => kind == JsonValueKind.String && IsDuration(value.GetValue<string>()),
            _ => true,
        };
    }

    // A value built in code (JsonValue of an int, a short, a decimal...) answers TryGetValue only for its
    // own CLR type; its JSON text is the same whatever the type.
    private static bool IsInteger(JsonNode value) =>
        decimal.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
        && decimal.Truncate(d) == d;

    private static bool IsDuration(string text)
    {
        try
        {
            XmlConvert.ToTimeSpan(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Expectation(InputDescriptor input) => input.Type switch
    {
        InputType.Enum => $"must be one of {string.Join(", ", input.Options)}",
        InputType.Duration => "must be an ISO 8601 duration such as PT5M",
        InputType.Integer => "must be a whole number",
        _ => $"must be {(input.Type is InputType.Array or InputType.Object or InputType.Integer ? "an" : "a")} {input.Type.ToString().ToLowerInvariant()}",
    };

    private static string Describe(JsonNode? value)
    {
        if (value is null) return "nothing";
        var text = value.ToJsonString();
        return text.Length > 60 ? text[..60] + "…" : text;
    }
}
