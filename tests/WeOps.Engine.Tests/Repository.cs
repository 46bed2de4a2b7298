namespace WeOps.Engine.Tests;

/// <summary>The checkout the tests run from: the folder holding WeOps.sln above the test output.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WeOps.sln"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException("WeOps.sln was not found above the test output folder.");
    }
}
