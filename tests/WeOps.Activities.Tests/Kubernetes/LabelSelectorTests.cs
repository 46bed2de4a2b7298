using WeOps.Activities.Kubernetes;

namespace WeOps.Activities.Tests.Kubernetes;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "front", ["app.kubernetes.io/version"] = "3" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app=db", false)]
    [InlineData("tier in (front, back)", true)]
    [InlineData("tier notin (front)", false)]
    [InlineData("tier", true)]
    [InlineData("!canary", true)]
    [InlineData("!tier", false)]
    [InlineData("app=web,tier in (back)", false)]
    [InlineData(" app = web , tier in(front) ", true)]
    [InlineData("app.kubernetes.io/version>2", true)]
    [InlineData("app.kubernetes.io/version<3", false)]
    [InlineData("missing!=x", true)]
    public void Selectors_match_as_the_api_server_matches(string selector, bool matches)
    {
        Assert.Equal(matches, LabelSelector.Parse(selector).Matches(Web));
    }

    [Theory]
    [InlineData("app=web,", "ends with ','")]
    [InlineData("app in ()", "at least one value")]
    [InlineData("app in (a", "ends where")]
    [InlineData("app=-web", "not a label value")]
    [InlineData("-app=web", "not a label key")]
    [InlineData("Example.COM/app=web", "prefix")]
    [InlineData("app ~ web", "unexpected character '~'")]
    [InlineData("app web", "not an operator")]
    [InlineData("app>x", "not a whole number")]
    public void Bad_selectors_say_what_is_wrong(string selector, string reason)
    {
        var e = Assert.Throws<FormatException>(() => LabelSelector.Parse(selector));

        Assert.Contains(reason, e.Message);
    }
}
