using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WeOps.Activities.Kubernetes;

/// <summary>Reads YAML (and so JSON) documents into JSON nodes the way Kubernetes tools do: a plain
/// scalar that looks like null, a boolean or a number becomes one; a quoted scalar stays a string.</summary>
public static partial class YamlJson
{
    // Aliases are shared nodes that expand on conversion: bound the result so a small "billion
    // laughs" document fails with a message instead of eating the memory of the node.
    private const int MaxNodes = 200_000;
    private const int MaxDepth = 64;
    private const int MaxFlowDepth = 256;

    /// <summary>Every document of <paramref name="text"/>; an empty document gives null.
    /// <see cref="FormatException"/> with the line and column when the text is not YAML.</summary>
    public static IReadOnlyList<JsonNode?> ReadDocuments(string text)
    {
        CheckFlowDepth(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // The parser's message names the construct, not the text, so it carries no secret.
            throw new FormatException($"not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {Innermost(e).Message}");
        }

        var budget = new int[] { MaxNodes };
        return stream.Documents.Select(d => Convert(d.RootNode, 0, budget)).ToList();
    }

    // The YAML loader builds nodes recursively: thousands of nested brackets would overflow the stack and
    // end the process, so refuse them before parsing. Brackets inside quotes count too; no real manifest
    // comes near the limit.
    private static void CheckFlowDepth(string text)
    {
        var depth = 0;
        foreach (var c in text)
        {
            if (c is '[' or '{')
            {
                if (++depth > MaxFlowDepth) throw new FormatException($"the document nests brackets deeper than {MaxFlowDepth} levels.");
            }
            else if (c is ']' or '}' && depth > 0)
            {
                depth--;
            }
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    private static JsonNode? Convert(YamlNode node, int depth, int[] budget)
    {
        if (--budget[0] < 0) throw new FormatException($"the document expands to more than {MaxNodes} values.");
        if (depth > MaxDepth) throw new FormatException($"the document nests deeper than {MaxDepth} levels.");
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode scalarKey)
                        throw new FormatException($"line {key.Start.Line}: a mapping key must be a plain value.");
                    var name = scalarKey.Value ?? "";
                    if (obj.ContainsKey(name))
                        throw new FormatException($"line {key.Start.Line}: key '{name}' appears twice.");
                    obj[name] = Convert(value, depth + 1, budget);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children) array.Add(Convert(item, depth + 1, budget));
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new FormatException($"line {node.Start.Line}: unsupported YAML node.");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag == "tag:yaml.org,2002:str" || scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
            return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return JsonValue.Create(l);
        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            return JsonValue.Create(d);
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+\z")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex FloatPattern();
}
