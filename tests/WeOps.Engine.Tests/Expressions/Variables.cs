using System.Text.Json.Nodes;

namespace WeOps.Engine.Tests.Expressions;

internal static class Variables
{
    public static readonly IReadOnlyDictionary<string, JsonNode?> None = new Dictionary<string, JsonNode?>();

    /// <summary>Process variables from a JSON object, parsed as stored variables are.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> From(string json) =>
        JsonNode.Parse(json)!.AsObject().ToDictionary(p => p.Key, p => p.Value?.DeepClone());
}
