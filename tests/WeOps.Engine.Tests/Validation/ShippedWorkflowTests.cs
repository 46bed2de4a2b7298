using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;

namespace WeOps.Engine.Tests.Validation;

/// <summary>Every process in workflows/ is published at first start: each must validate without errors. The engine
/// knows no executors of its own (ssh.exec, ticket.create... live in WeOps.Activities), so here an unknown executor
/// type is no error; tests/WeOps.Integration.Tests/Workflows/ShippedProcessesTests checks the files against the
/// real catalogue.</summary>
public sealed class ShippedWorkflowTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(WorkflowsFolder(), "*.bpmn", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(WorkflowsFolder(), file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Shipped_workflow_validates_without_errors(string file)
    {
        var validator = new ProcessValidator(new ExecutorCatalog([new NoopExecutor()]), new ExpressionEvaluator());

        var document = validator.Validate(BpmnParser.Parse(File.ReadAllText(Path.Combine(WorkflowsFolder(), file))));

        var errors = document.Problems
            .Where(p => p.Severity == Severity.Error && p.Code != ProblemCodes.ExecutorUnknown.Code)
            .ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.NotNull(document.Main);
    }

    private static string WorkflowsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WeOps.sln"))) return Path.Combine(dir.FullName, "workflows");
        }

        throw new DirectoryNotFoundException("workflows/ beside WeOps.sln was not found above the test output folder.");
    }
}
