using System.Text.Json.Serialization;

namespace WeOps.Engine.Parsing;

/// <summary>How much of a BPMN file the engine reads and says about it. A file with more elements, or
/// elements nested deeper, is refused while it is read as a stream, before any model is built; a
/// validation keeps the first <see cref="MaxProblems"/> problems and counts the rest.</summary>
public sealed record BpmnLimits
{
    /// <summary>Elements in the whole file, every kind counted (diagram shapes, extensions, documentation).</summary>
    public int MaxElements { get; init; } = 20_000;

    /// <summary>Levels of elements, <c>definitions</c> being the first. Sub-processes nested 64 deep, the most
    /// the engine runs, sit at about level 70 with their content.</summary>
    public int MaxDepth { get; init; } = 100;

    /// <summary>Problems a validation returns; the others are counted.</summary>
    public int MaxProblems { get; init; } = 1_000;

    public static BpmnLimits Default { get; } = new();

    /// <summary>For a published version, which passed the limits of its day: it must still run when they
    /// have been lowered since.</summary>
    public static BpmnLimits None { get; } = new() { MaxElements = int.MaxValue, MaxDepth = int.MaxValue, MaxProblems = int.MaxValue };
}

/// <summary>Which of the <see cref="BpmnLimits"/> a file went over.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BpmnLimit>))]
public enum BpmnLimit
{
    [JsonStringEnumMemberName("elements")] Elements,
    [JsonStringEnumMemberName("depth")] Depth,
}

/// <summary>A file refused for going over a limit: the limit, and the first element over it, where
/// reading stopped.</summary>
/// <param name="Element">The element's name as written, e.g. <c>bpmn:task</c>.</param>
public sealed record BpmnLimitExceeded(BpmnLimit Limit, int Max, int? Line, string Element, string? ElementId);
