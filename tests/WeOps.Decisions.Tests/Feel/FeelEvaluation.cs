using WeOps.Decisions.Feel;

namespace WeOps.Decisions.Tests.Feel;

/// <summary>Evaluates FEEL text against variables, as the tests write it.</summary>
internal static class FeelEvaluation
{
    public static object? Eval(string text, params (string Name, object? Value)[] variables)
    {
        var scope = new Scope(Scope.Root);
        foreach (var (name, value) in variables) scope.Set(name, value);
        return FeelParser.Expression(text, variables.Select(v => v.Name)).Eval(scope);
    }

    public static string Text(string text, params (string Name, object? Value)[] variables) => FeelValues.ToFeelString(Eval(text, variables));

    public static bool? Test(string tests, object? input, params (string Name, object? Value)[] variables)
    {
        var scope = new Scope(Scope.Root);
        foreach (var (name, value) in variables) scope.Set(name, value);
        return FeelParser.Matches(FeelParser.UnaryTests(tests, variables.Select(v => v.Name)), input, scope);
    }
}
