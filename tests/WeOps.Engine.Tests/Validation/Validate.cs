using WeOps.Engine.Executors;
using WeOps.Engine.Parsing;
using WeOps.Engine.Tests.Parsing;
using WeOps.Engine.Validation;

namespace WeOps.Engine.Tests.Validation;

/// <summary>Parses and validates with the noop and test.deploy executors, and finds problems.</summary>
internal static class Validate
{
    public static readonly ProcessValidator Validator =
        new(new ExecutorCatalog([new NoopExecutor(), new DeployExecutor()]), new RejectingExpressionSyntax());

    /// <summary>The same, reading files of any size and keeping every problem.</summary>
    public static readonly ProcessValidator Unlimited =
        new(new ExecutorCatalog([new NoopExecutor(), new DeployExecutor()]), new RejectingExpressionSyntax(), BpmnLimits.None);

    public static BpmnDocument Xml(string xml) => Validator.Validate(BpmnParser.Parse(xml));

    public static BpmnDocument Body(string processBody) => Xml(BpmnText.Process(processBody));

    public static BpmnDocument Fixture(params string[] path) => Validator.Validate(BpmnText.ParseFixture(path));

    /// <summary>The one problem about the element with that severity; its message must contain the phrase.</summary>
    public static ValidationProblem Single(BpmnDocument document, string elementId, Severity severity, string phrase)
    {
        var matching = document.Problems.Where(p => p.ElementId == elementId && p.Severity == severity).ToList();
        Assert.True(matching.Count == 1, $"Expected one {severity} on '{elementId}', got:\n{string.Join("\n", document.Problems)}");
        Assert.Contains(phrase, matching[0].Message, StringComparison.OrdinalIgnoreCase);
        return matching[0];
    }

    /// <summary>The one problem about the element with that severity; it must be of the kind <paramref name="code"/>,
    /// its message the code's text filled with its arguments, the element named by <paramref name="elementName"/>.</summary>
    public static ValidationProblem Single(BpmnDocument document, string elementId, Severity severity, ProblemCode code, string? elementName = null)
    {
        var matching = document.Problems.Where(p => p.ElementId == elementId && p.Severity == severity).ToList();
        Assert.True(matching.Count == 1, $"Expected one {severity} on '{elementId}', got:\n{string.Join("\n", document.Problems)}");
        var problem = matching[0];
        Assert.Equal(code.Code, problem.Code);
        Assert.Equal(code.Format(problem.Args), problem.Message);
        Assert.All(code.Placeholders, name => Assert.True(problem.Args.ContainsKey(name), $"{problem.Code} has no argument '{name}'"));
        Assert.Equal(elementName ?? NameIn(document, elementId), problem.Args["element"]);
        return problem;
    }

    /// <summary>How problems name the element, flow or process with that id: its name, or the id when it has none.</summary>
    private static string NameIn(BpmnDocument document, string id)
    {
        foreach (var process in document.Processes)
        {
            if (process.Key == id) return string.IsNullOrWhiteSpace(process.Name) ? id : process.Name;
            if (process.TryGetNode(id, out var node)) return string.IsNullOrWhiteSpace(node.Name) ? id : node.Name;
            if (process.TryGetFlow(id, out var flow)) return string.IsNullOrWhiteSpace(flow.Name) ? id : flow.Name;
        }

        return id;
    }

    /// <summary>The problems as "elementId severity" pairs, for comparing whole sets.</summary>
    public static string[] Keys(BpmnDocument document) =>
        document.Problems.Select(p => $"{p.ElementId} {p.Severity}").Order(StringComparer.Ordinal).ToArray();

    public static void NoProblems(BpmnDocument document) =>
        Assert.True(document.Problems.Count == 0, string.Join("\n", document.Problems));
}
