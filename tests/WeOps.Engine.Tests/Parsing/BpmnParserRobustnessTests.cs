using System.Xml.Linq;
using WeOps.Engine.Parsing;
using WeOps.Engine.Tests.Validation;

namespace WeOps.Engine.Tests.Parsing;

/// <summary>Damaged versions of realistic files: parsing and validating never throws.</summary>
public sealed class BpmnParserRobustnessTests
{
    public static TheoryData<string> ImportFixtures() =>
        [.. Directory.GetFiles(BpmnText.FixturePath("import"), "*.bpmn").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ImportFixtures))]
    public void Truncated_anywhere_the_file_is_one_problem(string fixture)
    {
        var xml = File.ReadAllText(BpmnText.FixturePath("import", fixture));

        for (var length = 0; length < xml.Length - 20; length += 97)
        {
            var document = Validate.Xml(xml[..length]);

            Assert.Empty(document.Processes);
            Assert.Single(document.Problems);
        }
    }

    [Theory]
    [MemberData(nameof(ImportFixtures))]
    public void Without_any_one_attribute_the_file_still_parses_and_validates(string fixture)
    {
        var original = XDocument.Load(BpmnText.FixturePath("import", fixture));
        var count = original.Descendants().SelectMany(e => e.Attributes()).Count(a => !a.IsNamespaceDeclaration);

        for (var i = 0; i < count; i++)
        {
            var damaged = new XDocument(original);
            damaged.Descendants().SelectMany(e => e.Attributes()).Where(a => !a.IsNamespaceDeclaration).ElementAt(i).Remove();

            Validate.Xml(damaged.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(ImportFixtures))]
    public void Without_any_one_element_the_file_still_parses_and_validates(string fixture)
    {
        var original = XDocument.Load(BpmnText.FixturePath("import", fixture));
        var count = original.Root!.Descendants().Count();

        for (var i = 0; i < count; i++)
        {
            var damaged = new XDocument(original);
            damaged.Root!.Descendants().ElementAt(i).Remove();

            Validate.Xml(damaged.ToString());
        }
    }

    [Fact]
    public void Every_element_given_the_same_id_still_parses_and_validates()
    {
        var document = XDocument.Load(BpmnText.FixturePath("import", "weops-designer-disk-full-runbook.bpmn"));
        foreach (var id in document.Descendants().Attributes("id").ToList()) id.Value = "same";

        var validated = Validate.Xml(document.ToString());

        Assert.NotEmpty(validated.Problems);
    }
}
