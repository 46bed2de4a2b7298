namespace WeOps.Designer.Tests;

/// <summary>Paths in the checkout the tests run from.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The designer's build (npm run build in src/Designer); ./test.sh builds it before the tests.</summary>
    public static string DesignerBuild => Path.Combine(Root, "src", "Designer", "dist");

    public static string Screenshots => Path.Combine(Root, "artifacts", "test-results", "screenshots");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WeOps.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException($"No WeOps.sln above {AppContext.BaseDirectory}: run the tests from the checkout.");
    }
}
