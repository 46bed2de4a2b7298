using System.Text;
using WeOps.Engine.Parsing;
using WeOps.Engine.Validation;
using static WeOps.Engine.Tests.Parsing.BpmnText;

namespace WeOps.Engine.Tests.Parsing;

/// <summary>Files over the element or depth limit are refused while they are read, at the first element
/// over the limit; files within the limits read as before.</summary>
public sealed class BpmnLimitsTests
{
    [Fact]
    public void A_file_of_100_000_tasks_is_refused_at_the_element_over_the_limit()
    {
        var document = BpmnParser.Parse(Tasks(100_000));

        // definitions and process are elements 1 and 2, so element 20,001 is task 19,999, on line 20,002.
        Assert.Equal(new BpmnLimitExceeded(BpmnLimit.Elements, 20_000, 20_002, "bpmn:task", "t19999"), document.OverLimit);
        Assert.Empty(document.Processes);
        var problem = Assert.Single(document.Problems);
        Assert.Equal(("t19999", Severity.Error, 20_002), (problem.ElementId, problem.Severity, problem.Line));
        Assert.Contains("more than 20,000 elements", problem.Message, StringComparison.Ordinal);
        Assert.Contains("<bpmn:task> 't19999' on line 20,002", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_stops_at_the_element_over_the_limit()
    {
        // Never closed and broken at the end: a reader that went on would report malformed XML instead.
        var open = Tasks(100_000).Replace("</bpmn:process>", "", StringComparison.Ordinal).Replace("</bpmn:definitions>", "<<<", StringComparison.Ordinal);

        var document = BpmnParser.Parse(open);

        Assert.Equal((BpmnLimit.Elements, "t19999"), (document.OverLimit?.Limit, document.OverLimit?.ElementId));
    }

    [Fact]
    public void Elements_nested_80_000_deep_are_refused_at_the_level_over_the_limit()
    {
        var document = BpmnParser.Parse(Nested(80_000, closed: true));

        // definitions and process are levels 1 and 2, so level 101 is sub-process 99.
        Assert.Equal((BpmnLimit.Depth, 100, "bpmn:subProcess", "s99"), (document.OverLimit?.Limit, document.OverLimit?.Max, document.OverLimit?.Element, document.OverLimit?.ElementId));
        Assert.Empty(document.Processes);
        var problem = Assert.Single(document.Problems);
        Assert.Contains("deeper than 100 levels", problem.Message, StringComparison.Ordinal);
        Assert.Contains("<bpmn:subProcess> 's99'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_stops_at_the_level_over_the_limit()
    {
        var document = BpmnParser.Parse(Nested(80_000, closed: false));

        Assert.Equal((BpmnLimit.Depth, "s99"), (document.OverLimit?.Limit, document.OverLimit?.ElementId));
    }

    [Fact]
    public void A_stream_is_refused_like_a_string()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Tasks(100_000)));

        var document = BpmnParser.Parse(stream);

        Assert.Equal((BpmnLimit.Elements, "t19999"), (document.OverLimit?.Limit, document.OverLimit?.ElementId));
    }

    [Fact]
    public void A_file_of_exactly_20_000_elements_nested_100_deep_is_read()
    {
        // 2 + 19,900 tasks + a task with extensionElements holding 96 nested elements = 20,000 elements;
        // the innermost is on level 100.
        var nested = string.Concat(Enumerable.Repeat("<x:n xmlns:x=\"urn:x\">", 96)) + string.Concat(Enumerable.Repeat("</x:n>", 96));
        var tasks = string.Concat(Enumerable.Range(1, 19_900).Select(i => $"""<bpmn:task id="t{i}"/>"""));

        var document = BpmnParser.Parse(Process($"""{tasks}<bpmn:task id="deep"><bpmn:extensionElements>{nested}</bpmn:extensionElements></bpmn:task>"""));

        Assert.Null(document.OverLimit);
        Assert.Equal(ProblemCodes.ForeignExtensionsKept.Code, Assert.Single(document.Problems).Code);
        Assert.Equal(19_901, Assert.Single(document.Processes).Nodes.Count());
    }

    [Fact]
    public void The_limits_given_are_the_ones_applied()
    {
        var limits = new BpmnLimits { MaxElements = 10, MaxDepth = 3 };

        Assert.Equal((BpmnLimit.Elements, 10, "t9"), Over(BpmnParser.Parse(Tasks(20), limits)));
        Assert.Equal((BpmnLimit.Depth, 3, "s2"), Over(BpmnParser.Parse(Nested(5, closed: true), limits)));
        Assert.Null(BpmnParser.Parse(Tasks(8), limits).OverLimit);
        Assert.Null(BpmnParser.Parse(Tasks(100_000), BpmnLimits.None).OverLimit);
    }

    private static (BpmnLimit?, int?, string?) Over(BpmnDocument document) =>
        (document.OverLimit?.Limit, document.OverLimit?.Max, document.OverLimit?.ElementId);

    /// <summary>Unconnected tasks t1..tN, one per line from line 4.</summary>
    private static string Tasks(int count)
    {
        var body = new StringBuilder();
        for (var i = 1; i <= count; i++) body.Append('\n').Append("<bpmn:task id=\"t").Append(i).Append("\"/>");
        return Process(body.ToString());
    }

    private static string Nested(int depth, bool closed)
    {
        var text = new StringBuilder();
        for (var level = 1; level <= depth; level++) text.Append("<bpmn:subProcess id=\"s").Append(level).Append("\">");
        if (!closed) return Definitions($"""<bpmn:process id="p" isExecutable="true">{text}""");
        for (var level = 1; level <= depth; level++) text.Append("</bpmn:subProcess>");
        return Process(text.ToString());
    }
}
