using WeOps.Engine.Executors;
using WeOps.Engine.Model;
using WeOps.Engine.Parsing;

namespace WeOps.Engine.Validation;

/// <summary>Says what in a parsed process cannot run, or will probably not run as meant.
/// Usage: <c>var document = validator.Validate(BpmnParser.Parse(xml));</c></summary>
public sealed class ProcessValidator(ExecutorCatalog executors, IExpressionSyntax expressions)
{
    /// <summary>The document with its parse problems and the problems of every process, errors first,
    /// then in file order. Empty pools (processes without elements) are skipped when the file has a
    /// process with content: they are there to draw a partner, not to run.</summary>
    public BpmnDocument Validate(BpmnDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = new List<ValidationProblem>(document.Problems);
        var anyContent = document.Processes.Any(p => p.Nodes.Any());
        foreach (var process in document.Processes.Where(p => !anyContent || p.Nodes.Any()))
            problems.AddRange(Validate(process));
        return document with { Problems = Sorted(problems) };
    }

    /// <summary>The problems of one process, errors first, then in file order.</summary>
    public IReadOnlyList<ValidationProblem> Validate(ProcessGraph process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var check = new ProcessCheck(process, executors, expressions);
        StartEventRules.Check(check);
        FlowRules.Check(check);
        CycleRules.Check(check);
        ActivityRules.Check(check);
        ApprovalRules.Check(check);
        EventRules.Check(check);
        TriggerRules.Check(check);
        LengthRules.Check(check);
        return Sorted(check.Problems);
    }

    private static List<ValidationProblem> Sorted(IEnumerable<ValidationProblem> problems) =>
        problems.OrderBy(p => p.Severity).ThenBy(p => p.Line ?? 0).ToList();
}
