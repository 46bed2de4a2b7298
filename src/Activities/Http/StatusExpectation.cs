using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Http;

/// <summary>The response statuses a step counts as success: numbers (<c>204</c>), classes (<c>"2xx"</c>)
/// and ranges (<c>"200-299"</c>).</summary>
public sealed class StatusExpectation
{
    private readonly List<(int From, int To)> ranges;

    private StatusExpectation(List<(int From, int To)> ranges, string text)
    {
        this.ranges = ranges;
        Text = text;
    }

    public static StatusExpectation Default { get; } = Parse(null);

    /// <summary>How the expectation reads in messages, e.g. <c>2xx, 404</c>.</summary>
    public string Text { get; }

    public bool Accepts(int status) => ranges.Exists(r => status >= r.From && status <= r.To);

    /// <summary>Reads a number, a string (comma-separated items) or an array of either; null means <c>2xx</c>.</summary>
    public static StatusExpectation Parse(JsonNode? node)
    {
        var items = new List<string>();
        switch (node)
        {
            case null:
                items.Add("2xx");
                break;
            case JsonArray array:
                foreach (var element in array)
                {
                    if (element is not JsonValue value || value.GetValueKind() is not (JsonValueKind.Number or JsonValueKind.String))
                        throw new ExecutorInputException($"http.request: 'expectStatus' items must be numbers or strings such as \"2xx\", got {element?.ToJsonString() ?? "null"}.");
                    items.Add(value.ToString());
                }

                break;
            case JsonValue value when value.GetValueKind() is JsonValueKind.Number or JsonValueKind.String:
                items.AddRange(value.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                break;
            default:
                throw new ExecutorInputException($"http.request: 'expectStatus' must be a number, a string such as \"2xx\" or an array of them, got {node.ToJsonString()}.");
        }

        if (items.Count == 0)
            throw new ExecutorInputException("http.request: 'expectStatus' names no status.");
        var ranges = items.Select(ParseItem).ToList();
        return new StatusExpectation(ranges, string.Join(", ", items.Select(i => i.Trim())));
    }

    private static (int, int) ParseItem(string item)
    {
        var text = item.Trim();
        if (text.Length == 3 && text[0] is >= '1' and <= '5' && text.EndsWith("xx", StringComparison.OrdinalIgnoreCase))
        {
            var hundreds = (text[0] - '0') * 100;
            return (hundreds, hundreds + 99);
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && Status(text[..dash]) is { } from && Status(text[(dash + 1)..]) is { } to && from <= to)
            return (from, to);
        if (Status(text) is { } single)
            return (single, single);
        throw new ExecutorInputException($"http.request: 'expectStatus' item '{HttpTarget.Excerpt(text, 40)}' is not a status (100-599), a class such as 2xx or a range such as 200-204.");
    }

    private static int? Status(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 100 and <= 599 ? n : null;
}
