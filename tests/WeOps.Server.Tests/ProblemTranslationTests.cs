using System.Text.RegularExpressions;
using WeOps.Engine.Validation;
using WeOps.Server.Validation;

namespace WeOps.Server.Tests;

/// <summary>The designer says every problem the server can report in Simplified Chinese: each code of the validator
/// and of the reference check has an entry in src/Designer/src/i18n/validation.zh.js with the same placeholders.</summary>
public sealed partial class ProblemTranslationTests
{
    private static readonly IReadOnlyList<ProblemCode> Codes = [.. ProblemCodes.All, .. ReferenceCodes.All];

    [Fact]
    public void Codes_are_unique_and_lower_case_words()
    {
        Assert.Equal(Codes.Count, Codes.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Codes, c => Assert.Matches("^[a-z]+(-[a-z]+)*\\.[a-z]+(-[a-z]+)*$", c.Code));
    }

    [Fact]
    public void Every_code_has_a_chinese_text_with_the_same_placeholders()
    {
        var zh = Dictionary();

        var missing = Codes.Where(c => !zh.ContainsKey(c.Code)).Select(c => c.Code).ToList();
        Assert.True(missing.Count == 0, $"No Chinese text in validation.zh.js for: {string.Join(", ", missing)}");
        Assert.All(Codes, c => Assert.Equal(c.Placeholders.Order(StringComparer.Ordinal), Placeholders(zh[c.Code]).Order(StringComparer.Ordinal)));
        var stale = zh.Keys.Except(Codes.Select(c => c.Code), StringComparer.Ordinal).ToList();
        Assert.True(stale.Count == 0, $"validation.zh.js translates codes the server no longer has: {string.Join(", ", stale)}");
    }

    /// <summary>The entries of <c>export const problems = { ... }</c>, one <c>'code': 'text',</c> a line.</summary>
    private static Dictionary<string, string> Dictionary()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Designer", "src", "i18n", "validation.zh.js"));
        var start = text.IndexOf("export const problems = {", StringComparison.Ordinal);
        Assert.True(start >= 0, "validation.zh.js has no 'export const problems = {'.");
        var block = text[start..text.IndexOf("};", start, StringComparison.Ordinal)];
        return Entry().Matches(block).ToDictionary(m => m.Groups["code"].Value, m => m.Groups["text"].Value, StringComparer.Ordinal);
    }

    private static IEnumerable<string> Placeholders(string text) =>
        Placeholder().Matches(text).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WeOps.sln"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException("WeOps.sln was not found above the test output folder.");
    }

    [GeneratedRegex(@"^\s*'(?<code>[a-z.-]+)':\s*'(?<text>(?:[^'\\]|\\.)*)',?\s*$", RegexOptions.Multiline)]
    private static partial Regex Entry();

    [GeneratedRegex(@"\{(?<name>[a-zA-Z]+)\}")]
    private static partial Regex Placeholder();
}
