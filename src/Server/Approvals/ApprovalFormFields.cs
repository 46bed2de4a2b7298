using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;
using WeOps.Engine.Forms;

namespace WeOps.Server.Approvals;

/// <summary>An approval's form on the link's confirmation page: plain HTML inputs (the page runs no script), read
/// back into the values <see cref="FormSubmission"/> checks, with each error shown beside its field.</summary>
public static class ApprovalFormFields
{
    /// <summary>Form fields are posted as <c>field.{key}</c>, apart from the page's own inputs.</summary>
    public const string Prefix = "field.";

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static void Render(StringBuilder body, FormSchema form, JsonObject values, IReadOnlyDictionary<string, string[]>? errors)
    {
        foreach (var field in form.Fields)
        {
            var id = "f-" + field.Key;
            var error = errors?.GetValueOrDefault(field.Key)?.FirstOrDefault();
            var described = error is null ? "" : $" aria-invalid=\"true\" aria-describedby=\"{id}-error\"";
            var required = field.Required ? " required" : "";
            var name = E(Prefix + field.Key);
            var value = values[field.Key];
            var mark = field.Required ? " *" : field.RequiredOn is { } on ? $" (required to {on})" : "";
            body.Append("<div class=\"field\">");
            switch (field.Kind)
            {
                case FormFieldKind.Checkbox:
                    body.Append(CultureInfo.InvariantCulture, $"<label><input type=\"checkbox\" id=\"{E(id)}\" name=\"{name}\" value=\"true\"{(value is JsonValue b && b.GetValueKind() == JsonValueKind.True ? " checked" : "")}{described}> {E(field.Label)}{E(mark)}</label>");
                    break;
                case FormFieldKind.Radio or FormFieldKind.Checklist:
                    body.Append(CultureInfo.InvariantCulture, $"<fieldset id=\"{E(id)}\"{described}><legend>{E(field.Label)}{E(mark)}</legend>");
                    var type = field.Kind == FormFieldKind.Radio ? "radio" : "checkbox";
                    var index = 0;
                    foreach (var option in Options(field, values))
                    {
                        var chosen = value is JsonArray list ? list.Any(v => JsonNode.DeepEquals(v, option.Value)) : JsonNode.DeepEquals(value, option.Value);
                        body.Append(CultureInfo.InvariantCulture, $"<label class=\"option\"><input type=\"{type}\" id=\"{E(id)}-{index++}\" name=\"{name}\" value=\"{E(Text(option.Value))}\"{(chosen ? " checked" : "")}> {E(option.Label)}</label>");
                    }

                    body.Append("</fieldset>");
                    break;
                case FormFieldKind.Select:
                    body.Append(CultureInfo.InvariantCulture, $"<label for=\"{E(id)}\">{E(field.Label)}{E(mark)}</label><select id=\"{E(id)}\" name=\"{name}\"{required}{described}><option value=\"\"></option>");
                    foreach (var option in Options(field, values))
                        body.Append(CultureInfo.InvariantCulture, $"<option value=\"{E(Text(option.Value))}\"{(JsonNode.DeepEquals(value, option.Value) ? " selected" : "")}>{E(option.Label)}</option>");
                    body.Append("</select>");
                    break;
                default:
                    var tag = field.Kind == FormFieldKind.TextArea;
                    var input = field.Kind switch
                    {
                        FormFieldKind.Number => "number",
                        FormFieldKind.DateTime => field.DateSubtype switch { "time" => "time", "datetime" => "datetime-local", _ => "date" },
                        _ => "text",
                    };
                    var limits = (field.MaxLength is { } max ? $" maxlength=\"{max}\"" : "") + (field.Min is { } min ? $" min=\"{min.ToString(CultureInfo.InvariantCulture)}\"" : "")
                        + (field.Max is { } most ? $" max=\"{most.ToString(CultureInfo.InvariantCulture)}\"" : "") + (field.Kind == FormFieldKind.Number ? " step=\"any\"" : "");
                    body.Append(CultureInfo.InvariantCulture, $"<label for=\"{E(id)}\">{E(field.Label)}{E(mark)}</label>");
                    body.Append(tag
                        ? $"<textarea id=\"{E(id)}\" name=\"{name}\" rows=\"3\"{required}{limits}{described}>{E(value is null ? "" : Text(value))}</textarea>"
                        : $"<input type=\"{input}\" id=\"{E(id)}\" name=\"{name}\" value=\"{E(value is null ? "" : Text(value))}\"{required}{limits}{described}>");
                    break;
            }

            if (error is not null) body.Append(CultureInfo.InvariantCulture, $"<p class=\"error\" id=\"{E(id)}-error\">{E(error)}</p>");
            body.Append("</div>");
        }
    }

    /// <summary>The posted values of the form's fields, typed as the fields want them where the text allows;
    /// what does not convert stays text, for the check to refuse with the field's label.</summary>
    public static JsonObject Read(FormSchema form, IFormCollection posted, JsonObject data)
    {
        var values = new JsonObject();
        foreach (var field in form.Fields)
        {
            var raw = posted[Prefix + field.Key];
            values[field.Key] = field.Kind switch
            {
                FormFieldKind.Checkbox => raw.Count > 0 && raw[0] == "true",
                FormFieldKind.Checklist => new JsonArray(raw.Select(v => Option(field, data, v)).ToArray()),
                _ when StringValues.IsNullOrEmpty(raw) || raw[0]!.Length == 0 => null,
                FormFieldKind.Number => double.TryParse(raw[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : raw[0],
                FormFieldKind.Select or FormFieldKind.Radio => Option(field, data, raw[0]),
                FormFieldKind.DateTime when field.DateSubtype == "datetime" && DateTime.TryParse(raw[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                    => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                _ => raw[0],
            };
        }

        return values;
    }

    /// <summary>The option whose value reads as <paramref name="text"/>, keeping its JSON type; else the text.</summary>
    private static JsonNode? Option(FormField field, JsonObject data, string? text) =>
        Options(field, data).FirstOrDefault(o => Text(o.Value) == text)?.Value?.DeepClone() ?? JsonValue.Create(text);

    private static IEnumerable<FormOption> Options(FormField field, JsonObject data)
    {
        if (field.Values.Count > 0) return field.Values;
        if (field.ValuesKey is null || data[field.ValuesKey] is not JsonArray listed) return [];
        return listed.Select(o => o is JsonObject option
            ? new FormOption(option["label"]?.ToString() ?? Text(option["value"]), option["value"])
            : new FormOption(Text(o), o));
    }

    private static string Text(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "";

    private static string E(string text) => Html.Encode(text);
}
