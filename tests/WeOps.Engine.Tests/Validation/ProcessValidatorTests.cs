using WeOps.Engine.Parsing;
using WeOps.Engine.Tests.Parsing;
using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;
using static WeOps.Engine.Tests.Validation.Validate;

namespace WeOps.Engine.Tests.Validation;

public sealed class ProcessValidatorTests
{
    [Fact]
    public void Problems_come_errors_first_then_in_file_order()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/>
            <bpmn:task id="deadEnd"/>
            <bpmn:serviceTask id="noType"/>
            <bpmn:task id="orphan"/>
            <bpmn:businessRuleTask id="rules"/>
            <bpmn:endEvent id="end"/>
            """ + Flows("start>deadEnd", "start>noType>rules>end", "orphan>end"));

        Assert.Equal(
            ["noType Error", "rules Error", "deadEnd Warning", "orphan Warning"],
            document.Problems.Select(p => $"{p.ElementId} {p.Severity}"));
    }

    [Fact]
    public void Parse_problems_are_kept_beside_validation_problems()
    {
        var document = Body("""
            <bpmn:startEvent id="start"/><bpmn:endEvent id="end"/><bpmn:endEvent id="end"/>
            <bpmn:serviceTask id="t"><bpmn:extensionElements><ops:task type="noop" retries="many"/></bpmn:extensionElements></bpmn:serviceTask>
            """ + Flows("start>t>end"));

        Assert.Equal(["end Error", "t Error"], Keys(document));
    }

    [Fact]
    public void Every_executable_process_of_the_file_is_validated()
    {
        var document = Xml(Definitions("""
            <bpmn:process id="a"><bpmn:startEvent id="sa"/><bpmn:serviceTask id="ta"/><bpmn:sequenceFlow id="fa" sourceRef="sa" targetRef="ta"/></bpmn:process>
            <bpmn:process id="b" isExecutable="true"><bpmn:task id="tb"/></bpmn:process>
            """));

        Single(document, "ta", Severity.Error, ProblemCodes.ServiceNoType);
        Single(document, "b", Severity.Error, ProblemCodes.ProcessNoStart);
    }

    [Fact]
    public void Empty_pool_beside_a_drawn_process_is_not_reported()
    {
        var document = Xml(Definitions("""
            <bpmn:collaboration id="c"><bpmn:participant id="pa" processRef="a"/><bpmn:participant id="pb" processRef="b"/></bpmn:collaboration>
            <bpmn:process id="a"><bpmn:startEvent id="s"/><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/></bpmn:process>
            <bpmn:process id="b" isExecutable="false"/>
            """));

        NoProblems(document);
    }

    [Fact]
    public void File_whose_only_process_is_empty_is_reported()
    {
        Single(Xml(Definitions("""<bpmn:process id="p"/>""")), "p", Severity.Error, "has no start event");
    }

    [Fact]
    public void Validating_one_process_gives_its_problems()
    {
        var process = BpmnParser.Parse(Process("""<bpmn:startEvent id="s"/><bpmn:task id="t"/>""" + Flows("s>t"))).Processes[0];

        var problems = Validator.Validate(process);

        Assert.Equal(["t"], problems.Select(p => p.ElementId));
    }

    [Fact]
    public void Problem_carries_the_line_of_its_element()
    {
        var document = Xml("""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
              <bpmn:process id="p">
                <bpmn:startEvent id="s"/>
                <bpmn:serviceTask id="t"/>
                <bpmn:endEvent id="e"/>
                <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
                <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
              </bpmn:process>
            </bpmn:definitions>
            """);

        Assert.Equal(5, Single(document, "t", Severity.Error, ProblemCodes.ServiceNoType).Line);
    }

    /// <summary>The time it takes is measured by the benchmark (bench/, "parse + validate 10,000-element process").</summary>
    [Fact]
    public void Ten_thousand_elements_validate_without_problems()
    {
        var validated = Validator.Validate(BpmnParser.Parse(LargeProcess.Chain(10_000), BpmnLimits.None));

        NoProblems(validated);
        Assert.Equal(10_002, validated.Processes[0].Nodes.Count());
    }

    /// <summary>The time it takes is measured by the benchmark (bench/, "validate 10,000 broken tasks").</summary>
    [Fact]
    public void Ten_thousand_problems_are_all_found_when_the_limit_allows()
    {
        var tasks = string.Concat(Enumerable.Range(1, 10_000).Select(i => $"""<bpmn:serviceTask id="t{i}"/>"""));
        var validated = Unlimited.Validate(Process($"""<bpmn:startEvent id="s"/>{tasks}"""));

        // Each task: no ops:task (error), no outgoing flow and unreachable (warnings); the start event: no outgoing flow.
        Assert.Equal(30_001, validated.Problems.Count);
        Assert.Equal(30_001, validated.TotalProblems);
    }

    [Fact]
    public void Of_1_500_problems_the_first_1_000_are_kept_and_all_are_counted()
    {
        // 500 service tasks without ops:task, flows or a way in: three problems each, and one of the start event.
        var file = Process("""<bpmn:startEvent id="s"/>""" + string.Concat(Enumerable.Range(1, 500).Select(i => $"""<bpmn:serviceTask id="t{i}"/>""")));
        var all = Unlimited.Validate(file);
        Assert.True(all.Problems.Count >= 1_500, $"the file has {all.Problems.Count} problems");

        var validated = Validator.Validate(file);

        Assert.Equal(BpmnLimits.Default.MaxProblems, validated.Problems.Count);
        Assert.Equal(all.Problems.Count, validated.TotalProblems);
        Assert.Equal(all.Problems.Count - 1_000, validated.OmittedProblems);
        Assert.Equal(all.Problems.Take(1_000), validated.Problems);
        Assert.True(validated.HasErrors);
    }

    [Fact]
    public void A_file_with_few_problems_keeps_them_all()
    {
        var validated = Body("""<bpmn:startEvent id="s"/><bpmn:task id="t"/>""");

        Assert.Equal(validated.Problems.Count, validated.TotalProblems);
        Assert.Equal(0, validated.OmittedProblems);
    }
}
