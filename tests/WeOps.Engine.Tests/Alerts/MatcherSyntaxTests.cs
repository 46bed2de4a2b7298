using WeOps.Engine.Model;
using WeOps.Engine.Parsing;

namespace WeOps.Engine.Tests.Alerts;

public sealed class MatcherSyntaxTests
{
    private static readonly Dictionary<string, string> DiskFull = new() { ["alertname"] = "DiskFull", ["severity"] = "critical", ["instance"] = "web-1:9100" };

    [Theory]
    [InlineData("alertname=\"DiskFull\"", true)]
    [InlineData("{alertname=\"DiskFull\", severity=~\"critical|warning\"}", true)]
    [InlineData("alertname = DiskFull , severity =~ crit.*", true)]
    [InlineData("severity=~\"crit\"", false)] // anchored: a part of the value is not a match
    [InlineData("severity!~\"warning|info\"", true)]
    [InlineData("severity!=\"critical\"", false)]
    [InlineData("team=\"\"", true)] // a missing label is the empty string, as in Alertmanager
    [InlineData("team!=\"\"", false)]
    [InlineData("instance=~\"web-[0-9]+:9100\"", true)]
    [InlineData("\"alertname\"=\"DiskFull\"", true)]
    public void Matchers_follow_alertmanager_semantics(string text, bool matches)
    {
        Assert.True(MatcherSyntax.TryParse(text, out var matchers, out var error), error);
        Assert.Equal(matches, new AlertRule(matchers).Matches(DiskFull));
    }

    [Fact]
    public void Quoted_values_keep_commas_and_escaped_quotes()
    {
        Assert.True(MatcherSyntax.TryParse("summary=\"a, \\\"b\\\"\", x=y", out var matchers, out _));
        Assert.Equal(["a, \"b\"", "y"], matchers.Select(m => m.Value));
    }

    [Theory]
    [InlineData("", "no matcher")]
    [InlineData("alertname", "no operator")]
    [InlineData("alertname==\"x\"", "stray quote")]
    [InlineData("alertname~\"x\"", "no operator")]
    [InlineData("alertname=\"x", "not closed")]
    [InlineData("{alertname=\"x\"", "does not close")]
    [InlineData("severity=~\"(crit\"", "regular expression")]
    [InlineData("severity=~\"(a)\\\\1\"", "regular expression")] // a backreference: not linear-time
    [InlineData("severity=~\"(?=a)a\"", "regular expression")]
    [InlineData("1abc=\"x\"", "starts with a digit")]
    [InlineData("a=\"x\" b=\"y\"", "expected a comma")]
    public void Bad_matchers_say_what_is_wrong(string text, string expected)
    {
        Assert.False(MatcherSyntax.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pathological_pattern_matches_in_linear_time()
    {
        Assert.True(MatcherSyntax.TryParse("x=~\"(a+)+$\"", out var matchers, out _));
        var labels = new Dictionary<string, string> { ["x"] = new string('a', 50_000) + "!" };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(new AlertRule(matchers).Matches(labels));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }
}
