namespace WeOps.Engine.Tests.Conformance;

/// <summary>The conformance fixtures as a set: each has its expectation, and docs/conformance.md lists each. They run in
/// <see cref="ConformanceSuite"/>, on SQLite here and on PostgreSQL in the integration tests.</summary>
public sealed class ConformanceTests
{
    private static readonly string Folder = ConformanceSuite.Folder;

    [Fact]
    public void Every_fixture_has_an_expectation_and_there_are_at_least_sixty()
    {
        var models = Directory.GetFiles(Folder, "*.bpmn").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        var expectations = Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        Assert.Empty(expectations.Except(models));
        Assert.Empty(models.Except(expectations));
        Assert.True(expectations.Count >= 60, $"{expectations.Count} conformance cases; at least 60 are required.");
    }

    [Fact]
    public void Every_fixture_is_listed_in_the_conformance_page()
    {
        var page = FindConformancePage();
        var missing = Directory.GetFiles(Folder, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => !page.Contains($"| `{name}` |", StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, $"docs/conformance.md does not list: {string.Join(", ", missing)}");
    }

    private static string FindConformancePage() => File.ReadAllText(Path.Combine(Repository.Root, "docs", "conformance.md"));
}
