using WeOps.Engine.Validation;

namespace WeOps.Engine.Parsing;

/// <summary>The outcome of reading a BPMN file: its processes and what is wrong with it.</summary>
public sealed record BpmnDocument(IReadOnlyList<Model.ProcessGraph> Processes, IReadOnlyList<ValidationProblem> Problems)
{
    /// <summary>The process a definition is saved under: the first executable one, else the first.</summary>
    public Model.ProcessGraph? Main => Processes.FirstOrDefault(p => p.IsExecutable) ?? Processes.FirstOrDefault();

    /// <summary>The processes validated for running. Empty pools are left out when a process has content (they draw
    /// a partner); pools marked <c>isExecutable="false"</c> are left out when an executable process has content
    /// (they draw the other side of a collaboration). A file whose every process is marked not executable, as
    /// bpmn.io writes by default, has them all validated.</summary>
    public IEnumerable<Model.ProcessGraph> Runnable
    {
        get
        {
            var withContent = Processes.Where(p => p.Nodes.Any()).ToList();
            var candidates = withContent.Count > 0 ? withContent : Processes.ToList();
            return candidates.Any(p => p.IsExecutable) ? candidates.Where(p => p.IsExecutable) : candidates;
        }
    }

    public bool HasErrors => Problems.Any(p => p.Severity == Severity.Error);

    /// <summary>Set when the file was refused for going over a limit; <see cref="Problems"/> then holds the one
    /// problem that says so.</summary>
    public BpmnLimitExceeded? OverLimit { get; init; }

    /// <summary>Problems found beyond the ones kept in <see cref="Problems"/> (see <see cref="BpmnLimits.MaxProblems"/>).</summary>
    public int OmittedProblems { get; init; }

    /// <summary>Every problem found, the kept and the omitted.</summary>
    public int TotalProblems => Problems.Count + OmittedProblems;
}
