namespace WeOps.Decisions.Dmn;

/// <summary>A DMN file read into memory: its decisions, inputs, knowledge models, services and types, by name.</summary>
public sealed class DecisionModel
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public required IReadOnlyList<Decision> Decisions { get; init; }

    public required IReadOnlyList<InputData> Inputs { get; init; }

    public required IReadOnlyList<KnowledgeModel> KnowledgeModels { get; init; }

    public required IReadOnlyList<DecisionService> Services { get; init; }

    public required IReadOnlyDictionary<string, ItemType> ItemTypes { get; init; }

    public Decision? FindDecision(string nameOrId) =>
        Decisions.FirstOrDefault(d => d.Name == nameOrId) ?? Decisions.FirstOrDefault(d => d.Id == nameOrId);
}

/// <summary>What an element requires, each by the id its href points at.</summary>
public sealed record Requirements(IReadOnlyList<string> Decisions, IReadOnlyList<string> Inputs, IReadOnlyList<string> Knowledge);

public sealed record InputData(string Id, string Name, string? TypeRef);

public sealed record Decision(string Id, string Name, string? TypeRef, Requirements Requires, DmnExpression? Logic);

/// <summary>A business knowledge model: a function other decisions invoke.</summary>
public sealed record KnowledgeModel(string Id, string Name, Requirements Requires, FunctionDefinition? Logic);

/// <summary>A decision service: the decisions it outputs, evaluated from the inputs and decisions it takes as parameters.</summary>
public sealed record DecisionService(string Id, string Name, IReadOnlyList<string> OutputDecisions, IReadOnlyList<string> EncapsulatedDecisions,
    IReadOnlyList<string> InputDecisions, IReadOnlyList<string> InputData);
