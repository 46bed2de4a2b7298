using WeOps.Engine.Model;
using WeOps.Engine.Triggers;

namespace WeOps.Engine.Tests.Triggers;

public sealed class HookRouteTests
{
    [Theory]
    [InlineData("deploy/{service}", "deploy/{}")]
    [InlineData("/Deploy/{service}/", "deploy/{}")]
    [InlineData("a.b/c_d-e~f/{x1}/{y_2}", "a.b/c_d-e~f/{}/{}")]
    public void A_valid_template_has_a_shape_without_parameter_names(string template, string shape)
    {
        var route = HookRoute.Parse(template, out var problem);

        Assert.Null(problem);
        Assert.Equal(shape, route!.Shape);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("a//b", "empty segment")]
    [InlineData("deploy/{service", "not a parameter")]
    [InlineData("deploy/{}", "not a parameter")]
    [InlineData("deploy/{1abc}", "not a parameter")]
    [InlineData("deploy/{a}/{a}", "appears twice")]
    [InlineData("deploy/w%20b", "may hold only")]
    [InlineData("deploy/a b", "may hold only")]
    [InlineData("deploy/..", "not allowed")]
    [InlineData("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", "segments")]
    public void An_invalid_template_names_its_problem(string template, string phrase)
    {
        Assert.Null(HookRoute.Parse(template, out var problem));
        Assert.Contains(phrase, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_longer_than_the_limit_is_refused()
    {
        Assert.Null(HookRoute.Parse(new string('a', HookRoute.MaxLength + 1), out var problem));
        Assert.Contains("at most 200", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_take_the_segment_values_and_literals_ignore_case()
    {
        var route = HookRoute.Parse("deploy/{service}/to/{env}", out _)!;

        Assert.Equal(new Dictionary<string, string> { ["service"] = "web", ["env"] = "prod" }, route.Match(["DEPLOY", "web", "to", "prod"]));
        Assert.Null(route.Match(["deploy", "web", "to"]));
        Assert.Null(route.Match(["deploy", "", "to", "prod"]));
        Assert.Null(route.Match(["release", "web", "to", "prod"]));
    }

    [Fact]
    public void The_most_specific_route_wins_and_a_wrong_method_is_told_apart_from_an_unknown_path()
    {
        var table = new HookRouteTable([Binding("generic", "POST", "deploy/{service}"), Binding("web", "POST", "deploy/web"), Binding("status", "GET", "deploy/{service}")]);

        Assert.Equal("web", Assert.IsType<HookLookup.Found>(table.Find("POST", ["deploy", "web"])).Binding.ProcessKey);
        var generic = Assert.IsType<HookLookup.Found>(table.Find("post", ["deploy", "db"]));
        Assert.Equal(("generic", "db"), (generic.Binding.ProcessKey, generic.Parameters["service"]));
        Assert.Equal("status", Assert.IsType<HookLookup.Found>(table.Find("GET", ["deploy", "web"])).Binding.ProcessKey);
        Assert.Equal(["GET", "POST"], Assert.IsType<HookLookup.MethodNotAllowed>(table.Find("PUT", ["deploy", "web"])).Allowed);
        Assert.IsType<HookLookup.NotFound>(table.Find("POST", ["deploy"]));
        Assert.IsType<HookLookup.NotFound>(table.Find("POST", ["other", "web"]));
    }

    [Fact]
    public void Routes_with_the_same_method_and_shape_clash_whatever_their_parameter_names()
    {
        var mine = new[] { Binding("a", "POST", "deploy/{service}"), Binding("a", "POST", "deploy/web") };
        var others = new[] { Binding("b", "POST", "Deploy/{name}"), Binding("c", "GET", "deploy/{service}") };

        var clash = Assert.Single(HookRouteTable.Clashes(mine, others));
        Assert.Equal(("deploy/{service}", "b"), (clash.Hook.Route.Template, clash.Other.ProcessKey));
    }

    private static HookBinding Binding(string key, string method, string path) =>
        new(key, 1, "start", new HttpTrigger { Method = method, Path = path }, HookRoute.Parse(path, out _)!, 1);
}
