using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WeOps.Engine.Forms;

/// <summary>What a submission against a form comes to: the variables to write, or the errors by field key
/// (each naming the field's label). Variables are written only when there is no error.</summary>
public sealed record FormCheck(JsonObject Variables, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>Checks submitted values against a form's fields: required, type, options, min/max, lengths and pattern
/// (form-js <c>validate</c>). Values for keys the form does not have pass unchanged, as variables always could.</summary>
public static class FormSubmission
{
    /// <summary>The key of a task form's outcome field; its value is the decision that <c>properties.requiredOn</c>
    /// fields are required on.</summary>
    public const string OutcomeKey = "outcome";

    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly Regex Email = new(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant, PatternTimeout);
    private static readonly Regex Phone = new(@"^\+?[0-9 ()\-]{5,30}$", RegexOptions.CultureInvariant, PatternTimeout);

    /// <param name="data">The form data the form was shown with: where options named by <c>valuesKey</c> are found.</param>
    /// <param name="decision">For an approval, the decision made with the values: fields required on it become required.
    /// For a task, null: the submitted <c>outcome</c> is the decision.</param>
    /// <param name="held">Variables the instance holds already: a required field left out of the submission keeps its value,
    /// as the form showed it filled in.</param>
    public static FormCheck Check(FormSchema form, JsonObject? values, JsonObject? data = null, string? decision = null, IReadOnlyDictionary<string, JsonNode?>? held = null)
    {
        var variables = (JsonObject?)values?.DeepClone() ?? [];
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        decision ??= variables[OutcomeKey] is JsonValue outcome && outcome.GetValueKind() == JsonValueKind.String ? outcome.GetValue<string>() : null;
        foreach (var field in form.Fields)
        {
            var value = variables[field.Key];
            string? error;
            if (!variables.ContainsKey(field.Key) && held?.GetValueOrDefault(field.Key) is { } kept && !IsEmpty(kept, field)) continue;
            if (IsEmpty(value, field))
            {
                error = field.Required ? $"{field.Label} is required."
                    : decision is not null && field.RequiredOn == decision ? $"{field.Label} is required to {decision}."
                    : null;
            }
            else
            {
                (error, var converted) = CheckValue(field, value!, Options(field, data));
                if (error is null && converted is not null) variables[field.Key] = converted;
            }

            if (error is not null) errors[field.Key] = [error];
        }

        return new FormCheck(variables, errors);
    }

    private static bool IsEmpty(JsonNode? value, FormField field) => value switch
    {
        null => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Length == 0,
        JsonValue v when field.Kind == FormFieldKind.Checkbox && v.GetValueKind() == JsonValueKind.False => true,
        JsonArray a => a.Count == 0,
        _ => false,
    };

    private static (string? Error, JsonNode? Converted) CheckValue(FormField field, JsonNode value, IReadOnlyList<JsonNode?>? options)
    {
        var label = field.Label;
        switch (field.Kind)
        {
            case FormFieldKind.TextField or FormFieldKind.TextArea:
                if (!IsString(value, out var text)) return ($"{label} must be text.", null);
                return (CheckText(field, text), null);
            case FormFieldKind.Number:
                double number;
                if (value is JsonValue n && n.GetValueKind() == JsonValueKind.Number) number = n.GetValue<double>();
                else if (IsString(value, out var digits) && double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number))
                    value = JsonValue.Create(number);
                else return ($"{label} must be a number.", null);
                if (field.Min is { } min && number < min) return ($"{label} must be at least {min.ToString(CultureInfo.InvariantCulture)}.", null);
                if (field.Max is { } max && number > max) return ($"{label} must be at most {max.ToString(CultureInfo.InvariantCulture)}.", null);
                return (null, value.DeepClone());
            case FormFieldKind.Checkbox:
                return value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? (null, null) : ($"{label} must be true or false.", null);
            case FormFieldKind.Select or FormFieldKind.Radio:
                if (value is not JsonValue) return ($"{label} must be one of its options.", null);
                return (OneOf(field, value, options), null);
            case FormFieldKind.Checklist:
                if (value is not JsonArray chosen) return ($"{label} must be a list of its options.", null);
                foreach (var item in chosen)
                {
                    if (item is null) return ($"{label} must be a list of its options.", null);
                    if (OneOf(field, item, options) is { } wrong) return (wrong, null);
                }

                return (null, null);
            case FormFieldKind.DateTime:
                if (!IsString(value, out var when) || !IsDateTime(field.DateSubtype, when))
                    return ($"{label} must be a {Describe(field.DateSubtype)}.", null);
                return (null, null);
        }

        throw new ArgumentOutOfRangeException(nameof(field), field.Kind, null);
    }

    private static string? CheckText(FormField field, string text)
    {
        var label = field.Label;
        if (field.MinLength is { } least && text.Length < least) return $"{label} must have at least {least} characters.";
        if (field.MaxLength is { } most && text.Length > most) return $"{label} may have at most {most} characters.";
        try
        {
            if (field.Pattern is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, PatternTimeout))
                return $"{label} does not have the expected form ({pattern}).";
            if (field.ValidationType == "email" && !Email.IsMatch(text)) return $"{label} must be an email address.";
            if (field.ValidationType == "phone" && !Phone.IsMatch(text)) return $"{label} must be a phone number.";
        }
        catch (RegexMatchTimeoutException)
        {
            return $"{label} could not be checked against its pattern in time.";
        }

        return null;
    }

    private static string? OneOf(FormField field, JsonNode value, IReadOnlyList<JsonNode?>? options)
    {
        if (options is null) return $"{field.Label} has no options to choose from.";
        return options.Any(o => JsonNode.DeepEquals(o, value)) ? null : $"{field.Label} must be one of its options; {Shown(value)} is not.";
    }

    /// <summary>The option values of a field: its static values, else the list under its valuesKey in the form data
    /// (form-js options <c>{label, value}</c> or plain values).</summary>
    private static List<JsonNode?>? Options(FormField field, JsonObject? data)
    {
        if (!field.HasOptions) return null;
        if (field.Values.Count > 0) return field.Values.Select(v => v.Value).ToList();
        if (field.ValuesKey is null || data?[field.ValuesKey] is not JsonArray listed) return null;
        return listed.Select(o => o is JsonObject option ? option["value"] : o).ToList();
    }

    private static bool IsDateTime(string? subtype, string text) => subtype switch
    {
        "time" => TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            || DateTimeOffset.TryParseExact("2000-01-01T" + text, ["yyyy-MM-ddTHH:mmzzz", "yyyy-MM-ddTHH:mmZ", "yyyy-MM-ddTHH:mm:sszzz"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "datetime" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _) && text.Contains('T', StringComparison.Ordinal),
        _ => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
    };

    private static string Describe(string? subtype) => subtype switch
    {
        "time" => "time (HH:mm)",
        "datetime" => "date and time (ISO 8601, e.g. 2026-12-07T22:00:00Z)",
        _ => "date (yyyy-MM-dd)",
    };

    private static bool IsString(JsonNode value, out string text)
    {
        text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
        return value is JsonValue s && s.GetValueKind() == JsonValueKind.String;
    }

    private static string Shown(JsonNode value)
    {
        var json = value.ToJsonString();
        return json.Length > 60 ? json[..60] + "…" : json;
    }
}
