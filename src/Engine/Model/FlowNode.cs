namespace WeOps.Engine.Model;

/// <summary>A node of a process graph: an event, gateway or activity.</summary>
public abstract record FlowNode
{
    public required string Id { get; init; }
    public string? Name { get; init; }

    /// <summary>The BPMN element name as written in the file, e.g. <c>serviceTask</c>.</summary>
    public required string ElementType { get; init; }

    /// <summary>Id of the enclosing sub-process; null for the process level.</summary>
    public string? ScopeId { get; init; }

    public IReadOnlyList<string> Incoming { get; init; } = [];
    public IReadOnlyList<string> Outgoing { get; init; } = [];

    /// <summary>Line in the source file, for problems that point at the element.</summary>
    public int Line { get; init; }

    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Id : $"{Name} ({Id})";
}

/// <summary>A directed connection between two nodes of the same scope.</summary>
public sealed record SequenceFlow
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public required string SourceId { get; init; }
    public required string TargetId { get; init; }
    public string? ScopeId { get; init; }

    /// <summary>A JavaScript boolean expression; <c>${...}</c> around it is accepted.</summary>
    public string? Condition { get; init; }
    public int Line { get; init; }
}
