using System.Text.Json.Nodes;

namespace WeOps.Engine.Forms;

/// <summary>The input kinds of a form-js schema that WeOps renders and checks.</summary>
public enum FormFieldKind { TextField, TextArea, Number, Checkbox, Select, Radio, Checklist, DateTime }

/// <summary>Who fills a picker's options: the server, from its user directory, groups, hosts or tickets.</summary>
public enum FormPicker { None, Users, Groups, Hosts, Tickets }

/// <summary>A form-js option: what is shown and what is stored.</summary>
public sealed record FormOption(string Label, JsonNode? Value);

/// <summary>One input of a form: its key is the process variable it sets.</summary>
public sealed record FormField
{
    public required string Key { get; init; }
    public required FormFieldKind Kind { get; init; }

    /// <summary>The label as written; the key when the form has none.</summary>
    public required string Label { get; init; }
    public bool Required { get; init; }

    /// <summary>The approval decision (approve or reject), or the task's outcome (an option of its <c>outcome</c>
    /// field), that makes the field required: form-js <c>properties.requiredOn</c>, e.g. a reason required only when
    /// rejecting, a group only when escalating.</summary>
    public string? RequiredOn { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public int? MinLength { get; init; }
    public int? MaxLength { get; init; }
    public string? Pattern { get; init; }

    /// <summary>form-js <c>validationType</c>: email or phone on a text field.</summary>
    public string? ValidationType { get; init; }

    /// <summary>Static options (<c>values</c>); empty when they come from <see cref="ValuesKey"/>.</summary>
    public IReadOnlyList<FormOption> Values { get; init; } = [];

    /// <summary>The form data entry that holds the options: a process variable, or what a picker fills.</summary>
    public string? ValuesKey { get; init; }
    public FormPicker Picker { get; init; }

    /// <summary>form-js <c>subtype</c> of a datetime: date, time or datetime.</summary>
    public string? DateSubtype { get; init; }

    /// <summary>A literal, or a <c>${expr}</c> evaluated against the instance's variables.</summary>
    public JsonNode? DefaultValue { get; init; }

    public bool HasOptions => Kind is FormFieldKind.Select or FormFieldKind.Radio or FormFieldKind.Checklist;
}

/// <summary>A form-js schema embedded in a process (<c>ops:form</c>): the JSON as written, for the browser,
/// and the inputs the server checks submissions against.</summary>
public sealed record FormSchema(string Json, IReadOnlyList<FormField> Fields)
{
    /// <summary>The most a form's JSON may hold, in UTF-8 bytes.</summary>
    public const int MaxBytes = 256 * 1024;
}
