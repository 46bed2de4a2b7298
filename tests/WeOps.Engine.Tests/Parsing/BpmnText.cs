using WeOps.Engine.Parsing;

namespace WeOps.Engine.Tests.Parsing;

/// <summary>Small BPMN files for tests: a process body wrapped in definitions with the bpmn, ops and
/// camunda namespaces, and fixtures read from the output folder.</summary>
internal static class BpmnText
{
    public static string Definitions(string content) => $$"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="urn:weops:tests">
        {{content}}
        </bpmn:definitions>
        """;

    public static string Process(string body, string id = "p") =>
        Definitions($$"""<bpmn:process id="{{id}}" isExecutable="true">{{body}}</bpmn:process>""");

    /// <summary>Sequence flows for chains written <c>a&gt;b&gt;c</c>; the flow from a to b has id <c>a-b</c>.</summary>
    public static string Flows(params string[] chains) => string.Concat(
        from chain in chains
        let ids = chain.Split('>')
        from i in Enumerable.Range(0, ids.Length - 1)
        select $"""<bpmn:sequenceFlow id="{ids[i]}-{ids[i + 1]}" sourceRef="{ids[i]}" targetRef="{ids[i + 1]}"/>""");

    public static string FixturePath(params string[] path) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. path]);

    public static BpmnDocument ParseFixture(params string[] path)
    {
        using var stream = File.OpenRead(FixturePath(path));
        return BpmnParser.Parse(stream);
    }
}
