using System.Text.Json.Nodes;

namespace WeOps.Activities.Cloud;

/// <summary>Reading fields out of provider answers without trusting their shape.</summary>
public static class CloudJson
{
    /// <summary>The string held by <paramref name="node"/>, or null when it holds anything else.</summary>
    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The items of <paramref name="node"/> when it is an array, a single object wrapped, else none.</summary>
    public static IEnumerable<JsonNode> Items(JsonNode? node) => node switch
    {
        JsonArray array => array.OfType<JsonNode>(),
        JsonObject single => [single],
        _ => [],
    };
}
