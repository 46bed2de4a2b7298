using WeOps.Decisions.Dmn;

namespace WeOps.Decisions.Tests.Dmn;

internal static class Fixtures
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static DecisionEvaluator Evaluator(string name)
    {
        var read = DmnReader.Read(Text(name));
        Assert.Empty(read.Problems);
        return new DecisionEvaluator(read.Model);
    }
}
