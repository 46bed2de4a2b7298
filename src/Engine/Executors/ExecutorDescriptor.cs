using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using WeOps.Engine.Expressions;

namespace WeOps.Engine.Executors;

[JsonConverter(typeof(JsonStringEnumConverter<InputType>))]
public enum InputType
{
    [JsonStringEnumMemberName("string")] String,
    [JsonStringEnumMemberName("integer")] Integer,
    [JsonStringEnumMemberName("number")] Number,
    [JsonStringEnumMemberName("boolean")] Boolean,
    [JsonStringEnumMemberName("enum")] Enum,
    [JsonStringEnumMemberName("array")] Array,
    [JsonStringEnumMemberName("object")] Object,
    [JsonStringEnumMemberName("duration")] Duration,
    [JsonStringEnumMemberName("any")] Any,
}

/// <summary>What reads an input's text, and so how a value spliced into it with <c>${expr}</c> is written.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InputSyntax>))]
public enum InputSyntax
{
    /// <summary>Plain text: a value is written as it is.</summary>
    [JsonStringEnumMemberName("text")] Text,

    /// <summary>A POSIX shell command line or script: each value becomes one single-quoted word
    /// (see <see cref="ShellWords"/>); <c>${raw(expr)}</c> splices shell text as it is.</summary>
    [JsonStringEnumMemberName("shell")] Shell,

    /// <summary>An absolute URL: each value becomes one percent-encoded component, except one that begins the URL
    /// (its base address); <c>${raw(expr)}</c> splices URL text as it is (see <see cref="UrlComponents"/>).</summary>
    [JsonStringEnumMemberName("url")] Url,
}

/// <summary>A text the designer shows, in English and Simplified Chinese; a missing translation is null.</summary>
public sealed record LocalizedText(
    [property: JsonPropertyName("en")] string? En,
    [property: JsonPropertyName("zh-CN")] string? ZhCn);

/// <summary>One value of an enumeration input and what the designer calls it.</summary>
public sealed record OptionLabel(string Value, LocalizedText Label);

public sealed record InputDescriptor(string Name, InputType Type, bool Required, string? Description, string? UiHint, string? Default)
{
    /// <summary>Allowed values of an enumeration input.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>The description in both languages.</summary>
    public LocalizedText Descriptions { get; init; } = new(Description, null);

    /// <summary>Labels of the <see cref="Options"/>, in their order.</summary>
    public IReadOnlyList<OptionLabel> OptionLabels { get; init; } = [];

    public InputSyntax Syntax { get; init; }

    /// <summary>How the engine writes the values spliced into this input's template; null: as they are.</summary>
    [JsonIgnore]
    public TemplateEncoding? Encoding => Syntax switch
    {
        InputSyntax.Shell => ShellWords.Encoding,
        InputSyntax.Url => UrlComponents.Encoding,
        _ => null,
    };
}

public sealed record OutputDescriptor(string Name, string Type, string? Description);

/// <summary>What an executor is and takes, read from its attributes; the designer builds its palette
/// and property forms from these.</summary>
public sealed record ExecutorDescriptor(
    string Type,
    string DisplayName,
    string Category,
    string? Description,
    IReadOnlyList<InputDescriptor> Inputs,
    IReadOnlyList<OutputDescriptor> Outputs)
{
    /// <summary>The display name in both languages.</summary>
    public LocalizedText Names { get; init; } = new(DisplayName, null);

    /// <summary>One short sentence saying what the step does, in both languages.</summary>
    public LocalizedText Summaries { get; init; } = new(null, null);

    /// <summary>The description in both languages.</summary>
    public LocalizedText Descriptions { get; init; } = new(Description, null);

    public InputDescriptor? Input(string name) => Inputs.FirstOrDefault(i => i.Name == name);

    /// <summary>Reads the descriptor of an executor class and the record it takes as inputs.</summary>
    public static ExecutorDescriptor FromType(Type executorType, Type inputsType)
    {
        var attribute = executorType.GetCustomAttribute<ExecutorAttribute>()
            ?? throw new InvalidOperationException($"{executorType.Name} has no [Executor] attribute.");
        var inputs = inputsType
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<InputAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => Describe(x.Property, x.Attribute!))
            .ToList();
        var outputs = executorType.GetCustomAttributes<OutputAttribute>()
            .Select(o => new OutputDescriptor(o.Name, o.Type, o.Description))
            .ToList();
        return new ExecutorDescriptor(
            attribute.Type,
            attribute.DisplayName ?? attribute.Type,
            attribute.Category,
            attribute.Description,
            inputs,
            outputs)
        {
            Names = new(attribute.DisplayName ?? attribute.Type, attribute.DisplayNameZh),
            Summaries = new(attribute.Summary, attribute.SummaryZh),
            Descriptions = new(attribute.Description, attribute.DescriptionZh),
        };
    }

    private static InputDescriptor Describe(PropertyInfo property, InputAttribute attribute)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var (inputType, options) = Classify(type);
        return new InputDescriptor(
            JsonNamingPolicy.CamelCase.ConvertName(property.Name),
            inputType,
            attribute.Required,
            attribute.Description,
            attribute.UiHint,
            attribute.Default)
        {
            Options = options,
            Syntax = attribute.Syntax,
            Descriptions = new(attribute.Description, attribute.DescriptionZh),
            OptionLabels = type.IsEnum ? OptionLabels(type) : [],
        };
    }

    // In the order of Options (ExecutorJson.EnumNames), whatever the order the fields are declared in.
    private static IReadOnlyList<OptionLabel> OptionLabels(Type enumType) =>
        Enum.GetNames(enumType)
            .Select(name => (Value: JsonNamingPolicy.CamelCase.ConvertName(name), Label: enumType.GetField(name)!.GetCustomAttribute<OptionLabelAttribute>()))
            .Select(x => new OptionLabel(x.Value, new LocalizedText(x.Label?.English ?? x.Value, x.Label?.Chinese)))
            .ToList();

    private static (InputType, IReadOnlyList<string>) Classify(Type type)
    {
        if (type == typeof(string)) return (InputType.String, []);
        if (type == typeof(bool)) return (InputType.Boolean, []);
        if (type == typeof(int) || type == typeof(long)) return (InputType.Integer, []);
        if (type == typeof(double) || type == typeof(decimal) || type == typeof(float)) return (InputType.Number, []);
        if (type == typeof(TimeSpan)) return (InputType.Duration, []);
        if (type.IsEnum) return (InputType.Enum, ExecutorJson.EnumNames(type));
        if (type == typeof(JsonObject) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)))
            return (InputType.Object, []);
        if (type == typeof(JsonArray) || type.IsArray || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)))
            return (InputType.Array, []);
        return (InputType.Any, []);
    }
}
