namespace WeOps.Engine.Executors;

/// <summary>Marks an executor class; the type name is what <c>ops:task type</c> names.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ExecutorAttribute(string type) : Attribute
{
    public string Type { get; } = type;
    public string? DisplayName { get; init; }
    public string Category { get; init; } = "General";
    public string? Description { get; init; }

    /// <summary>The display name in Simplified Chinese.</summary>
    public string? DisplayNameZh { get; init; }

    /// <summary>One short sentence saying what the step does, for the palette's tooltip.</summary>
    public string? Summary { get; init; }

    public string? SummaryZh { get; init; }

    /// <summary>The description in Simplified Chinese.</summary>
    public string? DescriptionZh { get; init; }
}

/// <summary>Describes one input of an executor: a property of its inputs record.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    public string? Description { get; init; }

    /// <summary>The description in Simplified Chinese.</summary>
    public string? DescriptionZh { get; init; }

    public bool Required { get; init; }

    /// <summary>How the designer edits the value: <c>text</c>, <c>multiline</c>, <c>code</c>, <c>credential</c>, <c>json</c>...</summary>
    public string? UiHint { get; init; }

    /// <summary>The default, as it would be written in the BPMN file.</summary>
    public string? Default { get; init; }

    /// <summary>What reads the text, and so how the engine writes each <c>${expr}</c> spliced into it:
    /// <see cref="InputSyntax.Shell"/> as one quoted shell word, <see cref="InputSyntax.Url"/> as one
    /// percent-encoded URL component.</summary>
    public InputSyntax Syntax { get; init; }
}

/// <summary>Describes one field of an executor's output object.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class OutputAttribute(string name) : Attribute
{
    public string Name { get; } = name;
    public string Type { get; init; } = "any";
    public string? Description { get; init; }
}

/// <summary>How the designer names one value of an enumeration input, in English and Simplified Chinese.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class OptionLabelAttribute(string english, string chinese) : Attribute
{
    public string English { get; } = english;
    public string Chinese { get; } = chinese;
}
