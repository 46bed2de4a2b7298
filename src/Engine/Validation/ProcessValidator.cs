using WeOps.Engine.Executors;
using WeOps.Engine.Model;
using WeOps.Engine.Parsing;

namespace WeOps.Engine.Validation;

/// <summary>Says what in a parsed process cannot run, or will probably not run as meant.
/// Usage: <c>var document = validator.Validate(xml);</c></summary>
public sealed class ProcessValidator(ExecutorCatalog executors, IExpressionSyntax expressions, BpmnLimits? limits = null)
{
    /// <summary>The limits files from outside are read under, and how many problems a validation keeps.</summary>
    public BpmnLimits Limits { get; } = limits ?? BpmnLimits.Default;

    /// <summary>Reads the file under <see cref="Limits"/> and validates it.</summary>
    public BpmnDocument Validate(string xml) => Validate(BpmnParser.Parse(xml, Limits));

    /// <summary>The document with its parse problems and the problems of every process, errors first,
    /// then in file order, the first <see cref="BpmnLimits.MaxProblems"/> of them (the rest are counted).
    /// Only the <see cref="BpmnDocument.Runnable"/> processes are validated: empty pools and pools marked not
    /// executable beside an executable process are there to draw a partner, not to run.</summary>
    public BpmnDocument Validate(BpmnDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = new List<ValidationProblem>(document.Problems);
        foreach (var process in document.Runnable)
            problems.AddRange(Validate(process));
        var sorted = Sorted(problems);
        if (sorted.Count <= Limits.MaxProblems) return document with { Problems = sorted };
        return document with { Problems = sorted.GetRange(0, Limits.MaxProblems), OmittedProblems = sorted.Count - Limits.MaxProblems };
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
