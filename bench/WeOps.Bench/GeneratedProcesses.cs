using System.Text;

namespace WeOps.Bench;

/// <summary>BPMN files made to size for the scenarios.</summary>
public static class GeneratedProcesses
{
    private const string Header = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ops="urn:weops:bpmn:1.0" id="defs" targetNamespace="urn:weops:bench">
        """;

    /// <summary>A start event, then blocks of (script task, exclusive split on a condition, two service
    /// tasks, exclusive merge) until about <paramref name="elements"/> elements, then an end event.</summary>
    public static string Runbook(string key, int elements)
    {
        var xml = new StringBuilder(Header);
        xml.AppendLine($"""  <bpmn:process id="{key}" isExecutable="true">""");
        xml.AppendLine("""    <bpmn:startEvent id="start" />""");
        var previous = "start";
        var flow = 0;
        void Flow(string from, string to, string? condition = null)
        {
            flow++;
            if (condition is null)
            {
                xml.AppendLine($"""    <bpmn:sequenceFlow id="f{flow}" sourceRef="{from}" targetRef="{to}" />""");
                return;
            }

            xml.AppendLine($"""    <bpmn:sequenceFlow id="f{flow}" sourceRef="{from}" targetRef="{to}"><bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>""");
        }

        var blocks = Math.Max(1, (elements - 2) / 10);
        for (var b = 0; b < blocks; b++)
        {
            xml.AppendLine($"""    <bpmn:scriptTask id="count{b}" scriptFormat="javascript"><bpmn:script>counter = counter + 1;</bpmn:script></bpmn:scriptTask>""");
            xml.AppendLine($"""    <bpmn:exclusiveGateway id="split{b}" default="f{flow + 3}" />""");
            xml.AppendLine($"""    <bpmn:serviceTask id="even{b}"><bpmn:extensionElements><ops:task type="noop" /><ops:input name="result" value="${"{"}counter{"}"}" /></bpmn:extensionElements></bpmn:serviceTask>""");
            xml.AppendLine($"""    <bpmn:serviceTask id="odd{b}"><bpmn:extensionElements><ops:task type="noop" /></bpmn:extensionElements></bpmn:serviceTask>""");
            xml.AppendLine($"""    <bpmn:exclusiveGateway id="merge{b}" />""");
            Flow(previous, $"count{b}");
            Flow($"count{b}", $"split{b}");
            Flow($"split{b}", $"even{b}", "${counter % 2 == 0}");
            Flow($"split{b}", $"odd{b}");
            Flow($"even{b}", $"merge{b}");
            Flow($"odd{b}", $"merge{b}");
            previous = $"merge{b}";
        }

        xml.AppendLine("""    <bpmn:endEvent id="end" />""");
        Flow(previous, "end");
        xml.AppendLine("  </bpmn:process>");
        xml.AppendLine("</bpmn:definitions>");
        return xml.ToString();
    }
}
