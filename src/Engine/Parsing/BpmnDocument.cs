using WeOps.Engine.Validation;

namespace WeOps.Engine.Parsing;

/// <summary>The outcome of reading a BPMN file: its processes and what is wrong with it.</summary>
public sealed record BpmnDocument(IReadOnlyList<Model.ProcessGraph> Processes, IReadOnlyList<ValidationProblem> Problems)
{
    /// <summary>The process a definition is saved under: the first executable one, else the first.</summary>
    public Model.ProcessGraph? Main => Processes.FirstOrDefault(p => p.IsExecutable) ?? Processes.FirstOrDefault();

    public bool HasErrors => Problems.Any(p => p.Severity == Severity.Error);

    /// <summary>Set when the file was refused for going over a limit; <see cref="Problems"/> then holds the one
    /// problem that says so.</summary>
    public BpmnLimitExceeded? OverLimit { get; init; }

    /// <summary>Problems found beyond the ones kept in <see cref="Problems"/> (see <see cref="BpmnLimits.MaxProblems"/>).</summary>
    public int OmittedProblems { get; init; }

    /// <summary>Every problem found, the kept and the omitted.</summary>
    public int TotalProblems => Problems.Count + OmittedProblems;
}
