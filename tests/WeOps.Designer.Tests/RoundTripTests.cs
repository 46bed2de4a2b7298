using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Engine.Model;
using WeOps.Engine.Parsing;

namespace WeOps.Designer.Tests;

/// <summary>Every process we ship and every file of the import fixtures opens in the designer, and what it
/// exports is, for the engine, the same process: the same nodes, flows, settings and problems.</summary>
[Collection(DesignerCollection.Name)]
public sealed class RoundTripTests(DesignerFixture designer)
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        var folders = new[]
        {
            Path.Combine(Repository.Root, "workflows"),
            Path.Combine(Repository.Root, "tests", "WeOps.Engine.Tests", "Fixtures", "import"),
            Path.Combine(Repository.Root, "tests", "WeOps.Designer.Tests", "Fixtures"),
        };
        foreach (var file in folders.SelectMany(f => Directory.EnumerateFiles(f, "*.bpmn", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Repository.Root, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_file_exported_by_the_designer_is_the_same_process_for_the_engine(string file)
    {
        var original = await File.ReadAllTextAsync(Path.Combine(Repository.Root, file));
        var page = await designer.SignedInPageAsync();
        await Palette.NewProcessAsync(page, "Round trip " + Guid.NewGuid().ToString("N")[..8]);

        var result = await page.EvaluateAsync<JsonElement>(
            "async xml => { const r = await window.weopsDesigner.modeler.importXML(xml); return { warnings: r.warnings.map(w => w.message), xml: (await window.weopsDesigner.modeler.saveXML({ format: true })).xml }; }",
            original);
        // A warning about layout (bpmndi: a duplicate shape id in one fixture) loses a drawing, not a step;
        // anything else would be content the designer drops.
        var warnings = result.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!)
            .Where(w => !w.StartsWith("unparsable content <bpmndi:", StringComparison.Ordinal)).ToList();
        Assert.True(warnings.Count == 0, $"{file} opened with warnings: {string.Join("; ", warnings)}");
        var exported = result.GetProperty("xml").GetString()!;
        await page.Context.CloseAsync();

        Assert.Equal(Describe(BpmnParser.Parse(original)), Describe(BpmnParser.Parse(exported)));
        // ops: elements the engine does not read yet (http, alert, approval) must survive too.
        Assert.Equal(OpsElements(original), OpsElements(exported));
    }

    private static List<string> OpsElements(string xml) =>
        System.Xml.Linq.XDocument.Parse(xml).Descendants()
            .Where(e => e.Name.NamespaceName == "urn:weops:bpmn:1.0")
            .Select(e => $"{e.Parent?.Parent?.Attribute("id")?.Value} {e.Name.LocalName} " + string.Join(" ", e.Attributes().Select(a => $"{a.Name}={a.Value}").Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>The parsed document as text, without what moves when a file is written again (line numbers).</summary>
    private static string Describe(BpmnDocument document)
    {
        var processes = new JsonArray();
        foreach (var graph in document.Processes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            processes.Add(new JsonObject
            {
                ["key"] = graph.Key,
                ["name"] = graph.Name,
                ["executable"] = graph.IsExecutable,
                ["nodes"] = new JsonArray(graph.Nodes.OrderBy(n => n.Id, StringComparer.Ordinal).Select(Node).ToArray()),
                ["flows"] = new JsonArray(graph.Flows.OrderBy(f => f.Id, StringComparer.Ordinal).Select(f => Normalize(JsonSerializer.SerializeToNode(f, f.GetType()))).ToArray()),
            });
        }

        var problems = new JsonArray(document.Problems
            .Select(p => (JsonNode)new JsonObject { ["elementId"] = p.ElementId, ["severity"] = p.Severity.ToString(), ["message"] = p.Message })
            .OrderBy(p => p.ToJsonString(), StringComparer.Ordinal).ToArray());
        return new JsonObject { ["processes"] = processes, ["problems"] = problems }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonNode? Node(FlowNode node) => Normalize(JsonSerializer.SerializeToNode(node, node.GetType()));

    private static JsonNode? Normalize(JsonNode? node)
    {
        if (node is JsonObject json)
        {
            json.Remove("Line");
            foreach (var (name, value) in json.ToList())
            {
                // Incoming and outgoing lists follow the order of <incoming> elements, which a tool may rewrite.
                if (name is "Incoming" or "Outgoing" or "BoundaryEventIds" && value is JsonArray list)
                    json[name] = new JsonArray(list.Select(v => (JsonNode?)v!.GetValue<string>()).OrderBy(v => v!.GetValue<string>(), StringComparer.Ordinal).Select(v => JsonValue.Create(v!.GetValue<string>())).ToArray());
                else
                    Normalize(value);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array) Normalize(item);
        }

        return node;
    }
}
