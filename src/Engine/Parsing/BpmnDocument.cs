using WeOps.Engine.Validation;

namespace WeOps.Engine.Parsing;

/// <summary>The outcome of reading a BPMN file: its processes and what is wrong with it.</summary>
public sealed record BpmnDocument(IReadOnlyList<Model.ProcessGraph> Processes, IReadOnlyList<ValidationProblem> Problems)
{
    /// <summary>The process a definition is saved under: the first executable one, else the first.</summary>
    public Model.ProcessGraph? Main => Processes.FirstOrDefault(p => p.IsExecutable) ?? Processes.FirstOrDefault();

    public bool HasErrors => Problems.Any(p => p.Severity == Severity.Error);
}
