using System.Text;

namespace WeOps.Engine.Tests.Parsing;

/// <summary>Generated processes for size and speed tests.</summary>
internal static class LargeProcess
{
    /// <summary>start → t1 → … → tN → end: N service tasks running noop, N + 1 flows.</summary>
    public static string Chain(int tasks)
    {
        var body = new StringBuilder("""<bpmn:startEvent id="start"/>""");
        for (var i = 1; i <= tasks; i++)
            body.Append($"""<bpmn:serviceTask id="t{i}" name="Step {i}"><bpmn:extensionElements><ops:task type="noop"/><ops:input name="result" value="${"{"}step{i}{"}"}"/></bpmn:extensionElements></bpmn:serviceTask>""").Append('\n');
        body.Append("""<bpmn:endEvent id="end"/>""");
        var previous = "start";
        for (var i = 1; i <= tasks + 1; i++)
        {
            var next = i <= tasks ? $"t{i}" : "end";
            body.Append($"""<bpmn:sequenceFlow id="f{i}" sourceRef="{previous}" targetRef="{next}"/>""").Append('\n');
            previous = next;
        }

        return BpmnText.Process(body.ToString());
    }
}
