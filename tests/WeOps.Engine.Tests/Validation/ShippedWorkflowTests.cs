using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;

namespace WeOps.Engine.Tests.Validation;

/// <summary>Every process in workflows/ is published at first start: each must validate without errors.</summary>
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

        Assert.True(!document.HasErrors, string.Join("\n", document.Problems));
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
