using System.Text.Json.Nodes;
using WeOps.Engine.Executors;
using WeOps.Engine.Expressions;
using WeOps.Engine.Tests.Expressions;

namespace WeOps.Engine.Tests.Executors;

/// <summary>A template filled for a URL input: a value in the path or query is one percent-encoded component, a
/// value that begins the URL is its base address, <c>${raw(expr)}</c> splices URL text as it is.</summary>
public sealed class UrlComponentsTests
{
    private static readonly IReadOnlyDictionary<string, JsonNode?> Vars = Variables.From("""
        {"id": "../admin", "term": "a&b=c #x?", "base": "https://api.example.com/v2", "url": "https://hooks.example.com/x?token=t",
         "path": "v1/items", "n": 7, "nothing": null, "labels": {"k": "v"}}
        """);

    private static readonly ExpressionEvaluator Usual = new();
    private static readonly ExpressionEvaluator EngineOnly = new() { Paths = ExpressionPaths.EngineOnly };

    [Theory]
    [InlineData("https://api.example.com/items/${id}?q=${term}", "https://api.example.com/items/..%2Fadmin?q=a%26b%3Dc%20%23x%3F")]
    [InlineData("${base}/items/${id}", "https://api.example.com/v2/items/..%2Fadmin")]
    [InlineData("${url}", "https://hooks.example.com/x?token=t")]
    [InlineData("https://api.example.com/${raw(path)}/${n}", "https://api.example.com/v1/items/7")]
    [InlineData("https://api.example.com/items?empty=${nothing}&o=${labels}", "https://api.example.com/items?empty=&o=%7B%22k%22%3A%22v%22%7D")]
    [InlineData("https://api.example.com/health", "https://api.example.com/health")]
    public void Values_in_the_path_and_query_are_percent_encoded_and_a_leading_one_is_the_base(string template, string expected)
    {
        Assert.Equal(expected, Usual.EvaluateTemplate(template, Vars, UrlComponents.Encoding)!.GetValue<string>());
        Assert.Equal(expected, EngineOnly.EvaluateTemplate(template, Vars, UrlComponents.Encoding)!.GetValue<string>());
    }
}
