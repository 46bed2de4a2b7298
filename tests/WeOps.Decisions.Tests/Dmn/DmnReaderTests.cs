using WeOps.Decisions.Dmn;

namespace WeOps.Decisions.Tests.Dmn;

public class DmnReaderTests
{
    [Fact]
    public void Every_supported_namespace_reads()
    {
        foreach (var ns in DmnReader.Namespaces)
        {
            var xml = $"""<definitions xmlns="{ns}" id="d" name="n" namespace="urn:x"><decision id="a" name="A"><literalExpression><text>1 + 1</text></literalExpression></decision></definitions>""";
            var read = DmnReader.Read(xml);
            Assert.Empty(read.Problems);
            Assert.Equal(2m, new DecisionEvaluator(read.Model).Evaluate("A", new Dictionary<string, object?>()).Value);
        }
    }

    [Fact]
    public void Problems_name_the_element_they_are_about()
    {
        var read = DmnReader.Read(Fixtures.Text("bad-feel-in-rule.dmn"));
        Assert.Contains(read.Problems, p => p.ElementId == "broken-entry" && p.Message.Contains("is not valid FEEL", StringComparison.Ordinal));
        Assert.Contains(read.Problems, p => p.ElementId == "t" && p.Message.Contains("'SOMETIMES'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_that_is_not_dmn_is_refused_with_the_reason()
    {
        var error = Assert.Throws<DmnFormatException>(() => DmnReader.Read("<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"/>"));
        Assert.Contains("DMN 1.1-1.5 namespace", error.Message, StringComparison.Ordinal);
        Assert.Throws<DmnFormatException>(() => DmnReader.Read("<definitions"));
    }

    [Fact]
    public void A_document_type_declaration_is_refused()
    {
        const string xml = """<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/"/>""";
        Assert.Throws<DmnFormatException>(() => DmnReader.Read(xml));
    }

    [Fact]
    public void Files_over_the_limits_are_refused_before_evaluation()
    {
        var xml = Fixtures.Text("hit-policies.dmn");
        var tooLong = Assert.Throws<DmnFormatException>(() => DmnReader.Read(xml, new DmnLimits(MaxCharacters: 1000)));
        Assert.Contains("at most 1000", tooLong.Message, StringComparison.Ordinal);
        var tooMany = Assert.Throws<DmnFormatException>(() => DmnReader.Read(xml, new DmnLimits(MaxElements: 10)));
        Assert.Contains("elements", tooMany.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recursive_knowledge_model_stops_at_the_depth_limit_naming_it()
    {
        const string xml = """
            <definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" id="r" name="r" namespace="urn:r">
              <businessKnowledgeModel id="loop" name="Loop">
                <knowledgeRequirement><requiredKnowledge href="#loop"/></knowledgeRequirement>
                <encapsulatedLogic id="loop-logic"><formalParameter name="n"/><literalExpression><text>Loop(n + 1)</text></literalExpression></encapsulatedLogic>
              </businessKnowledgeModel>
              <decision id="d" name="D">
                <knowledgeRequirement><requiredKnowledge href="#loop"/></knowledgeRequirement>
                <literalExpression><text>Loop(0)</text></literalExpression>
              </decision>
            </definitions>
            """;
        var read = DmnReader.Read(xml);
        var error = Assert.Throws<DecisionEvaluationException>(() => new DecisionEvaluator(read.Model).Evaluate("D", new Dictionary<string, object?>()));
        Assert.Equal("loop-logic", error.ElementId);
    }
}
