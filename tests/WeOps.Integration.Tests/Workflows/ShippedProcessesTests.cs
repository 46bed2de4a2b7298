using System.Xml.Linq;

namespace WeOps.Integration.Tests.Workflows;

/// <summary>What a first start publishes from workflows/: every shipped process, none left as a draft.</summary>
public sealed class ShippedProcessesTests(WorkflowServer server) : IClassFixture<WorkflowServer>
{
    private static readonly XNamespace Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";

    [Fact]
    public async Task Every_process_in_workflows_is_published_at_first_start()
    {
        var files = Directory.EnumerateFiles(Path.Combine(WorkflowServer.RepositoryRoot, "workflows"), "*.bpmn", SearchOption.AllDirectories).ToList();
        var inFiles = files
            .SelectMany(f => XDocument.Load(f).Root!.Elements(Bpmn + "process"))
            .Where(p => (string?)p.Attribute("isExecutable") != "false")
            .Select(p => (string)p.Attribute("id")!)
            .Order(StringComparer.Ordinal)
            .ToList();

        var published = await server.PublishedKeysAsync();

        Assert.NotEmpty(inFiles);
        Assert.Equal(inFiles, published.Order(StringComparer.Ordinal));
    }
}
