using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WeOps.Engine.Forms;

/// <summary>Reads a form-js JSON schema into a <see cref="FormSchema"/>. Every problem names the component
/// (its key, else its id or position) and the property in error, so a designer can find it.</summary>
public static class FormSchemaReader
{
    private const int MaxKeyLength = 100;
    private const int MaxComponents = 500;

    private static readonly Dictionary<string, FormFieldKind> Inputs = new(StringComparer.Ordinal)
    {
        ["textfield"] = FormFieldKind.TextField,
        ["textarea"] = FormFieldKind.TextArea,
        ["number"] = FormFieldKind.Number,
        ["checkbox"] = FormFieldKind.Checkbox,
        ["select"] = FormFieldKind.Select,
        ["radio"] = FormFieldKind.Radio,
        ["checklist"] = FormFieldKind.Checklist,
        ["datetime"] = FormFieldKind.DateTime,
    };

    /// <summary>Components that show something and set no variable.</summary>
    private static readonly HashSet<string> Display = new(StringComparer.Ordinal) { "text", "html", "spacer", "separator", "image", "button", "group" };

    /// <summary>The schema, or null with at least one problem.</summary>
    public static FormSchema? Read(string json, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        problems = found;
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > FormSchema.MaxBytes)
        {
            found.Add($"the form is {bytes:N0} bytes; at most {FormSchema.MaxBytes:N0} are allowed.");
            return null;
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            found.Add($"the form is not valid JSON: {e.Message}");
            return null;
        }

        if (root is not JsonObject schema || schema["components"] is not JsonArray components)
        {
            found.Add("the form is not a form-js schema: it needs a \"components\" array.");
            return null;
        }

        var fields = new List<FormField>();
        var count = 0;
        ReadComponents(components, "components", fields, found, ref count);
        foreach (var duplicate in fields.GroupBy(f => f.Key, StringComparer.Ordinal).Where(g => g.Count() > 1))
            found.Add($"two fields have the key \"{duplicate.Key}\": each field sets its own variable.");
        CheckRequiredOn(fields, found);
        return found.Count == 0 ? new FormSchema(json, fields) : null;
    }

    private static void ReadComponents(JsonArray components, string path, List<FormField> fields, List<string> problems, ref int count)
    {
        for (var i = 0; i < components.Count; i++)
        {
            if (++count > MaxComponents)
            {
                problems.Add($"the form has more than {MaxComponents} components.");
                return;
            }

            var where = $"{path}[{i}]";
            if (components[i] is not JsonObject component)
            {
                problems.Add($"{where} is not an object.");
                continue;
            }

            var type = Text(component["type"]);
            var name = Name(component, where);
            if (type is null)
            {
                problems.Add($"{name} has no \"type\".");
                continue;
            }

            if (Display.Contains(type))
            {
                if (component["components"] is JsonArray children) ReadComponents(children, where + ".components", fields, problems, ref count);
                continue;
            }

            if (!Inputs.TryGetValue(type, out var kind))
            {
                problems.Add($"{name} has the type \"{type}\", which WeOps does not render; use one of {string.Join(", ", Inputs.Keys)} (or {string.Join(", ", Display)}).");
                continue;
            }

            if (Field(component, kind, name, problems) is { } field) fields.Add(field);
        }
    }

    private static FormField? Field(JsonObject component, FormFieldKind kind, string name, List<string> problems)
    {
        var key = Text(component["key"]);
        if (key is null)
        {
            problems.Add($"{name} has no \"key\": name the variable the field sets.");
            return null;
        }

        if (key.Length > MaxKeyLength || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$') || char.IsAsciiDigit(key[0]))
        {
            problems.Add($"field \"{Short(key)}\": the key must be a variable name (letters, digits, _ or $, at most {MaxKeyLength}, not starting with a digit).");
            return null;
        }

        var label = Text(component["label"]) ?? key;
        var validate = component["validate"] as JsonObject;
        var field = new FormField
        {
            Key = key,
            Kind = kind,
            Label = label,
            Required = validate?["required"] is JsonValue required && required.GetValueKind() == JsonValueKind.True,
            Min = Number(validate, "min", key, problems),
            Max = Number(validate, "max", key, problems),
            MinLength = (int?)Number(validate, "minLength", key, problems),
            MaxLength = (int?)Number(validate, "maxLength", key, problems),
            Pattern = Text(validate?["pattern"]),
            ValidationType = Text(validate?["validationType"]),
            ValuesKey = Text(component["valuesKey"]),
            DateSubtype = Text(component["subtype"]) ?? "date",
            DefaultValue = component["defaultValue"]?.DeepClone(),
        };

        if (field.Pattern is { } pattern)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException e)
            {
                problems.Add($"field \"{key}\": validate.pattern is not a regular expression: {e.Message}");
            }
        }

        if (field.Kind == FormFieldKind.DateTime && field.DateSubtype is not ("date" or "time" or "datetime"))
            problems.Add($"field \"{key}\": subtype \"{field.DateSubtype}\" is not date, time or datetime.");

        var properties = component["properties"] as JsonObject;
        // Checked once the whole form is read: it may name an option of the form's outcome field.
        if (Text(properties?["requiredOn"]) is { } decision) field = field with { RequiredOn = decision };

        var picker = Text(properties?["picker"]);
        if (picker is not null)
        {
            if (!Enum.TryParse<FormPicker>(picker, ignoreCase: true, out var chosen) || chosen == FormPicker.None || int.TryParse(picker, out _))
            {
                problems.Add($"field \"{key}\": properties.picker \"{picker}\" is not users, groups, hosts or tickets.");
                return null;
            }

            if (!field.HasOptions) problems.Add($"field \"{key}\": a picker must be a select, radio or checklist, not a {Lower(kind)}.");
            if (field.ValuesKey is null) problems.Add($"field \"{key}\": a picker needs a \"valuesKey\", the form data entry the server fills with its options.");
            field = field with { Picker = chosen };
        }

        if (field.HasOptions)
        {
            var values = component["values"] as JsonArray;
            if (values is null && field.ValuesKey is null)
                problems.Add($"field \"{key}\": a {Lower(kind)} needs \"values\" (its options) or a \"valuesKey\".");
            var options = new List<FormOption>();
            foreach (var value in values ?? [])
            {
                if (value is JsonObject option && option.ContainsKey("value"))
                    options.Add(new FormOption(Text(option["label"]) ?? option["value"]?.ToJsonString() ?? "", option["value"]?.DeepClone()));
                else
                    problems.Add($"field \"{key}\": each of its values needs a \"value\" (and a \"label\").");
            }

            field = field with { Values = options };
        }

        return field;
    }

    /// <summary><c>properties.requiredOn</c> names an approval's decision (approve, reject) or one of the static options
    /// of the form's <c>outcome</c> field (a task's outcome: a group to escalate to, required to escalate).</summary>
    private static void CheckRequiredOn(List<FormField> fields, List<string> problems)
    {
        var outcomes = fields.FirstOrDefault(f => f.Key == FormSubmission.OutcomeKey && f.HasOptions)?.Values
            .Select(v => v.Value is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null)
            .OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var field in fields.Where(f => f.RequiredOn is { } on && on is not ("approve" or "reject") && !outcomes.Contains(on)))
        {
            var options = outcomes.Count == 0 ? "" : ", " + string.Join(", ", outcomes.Order(StringComparer.Ordinal));
            problems.Add($"field \"{field.Key}\": properties.requiredOn \"{Short(field.RequiredOn!)}\" is not approve, reject or an option of the \"outcome\" field ({"approve, reject" + options}).");
        }
    }

    private static double? Number(JsonObject? validate, string name, string key, List<string> problems)
    {
        if (validate?[name] is not { } node) return null;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number) return value.GetValue<double>();
        if (node is JsonValue text && text.GetValueKind() == JsonValueKind.String
            && double.TryParse(text.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        problems.Add($"field \"{key}\": validate.{name} is not a number.");
        return null;
    }

    private static string Name(JsonObject component, string where) =>
        Text(component["key"]) is { } key ? $"field \"{Short(key)}\"" : Text(component["id"]) is { } id ? $"component \"{Short(id)}\"" : where;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetValue<string>())
            ? value.GetValue<string>().Trim()
            : null;

    private static string Lower(FormFieldKind kind) => kind.ToString().ToLowerInvariant();

    private static string Short(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
