using System.Xml.Linq;

namespace WeOps.Engine.Parsing;

/// <summary>The XML namespaces a process file is read with. Prefixes do not matter; URIs do.</summary>
public static class BpmnNamespaces
{
    public static readonly XNamespace Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";

    /// <summary>WeOps engine settings (<c>ops:</c>).</summary>
    public static readonly XNamespace Ops = "urn:weops:bpmn:1.0";

    /// <summary>Camunda 7 attributes, read where they have an obvious WeOps meaning so Camunda files import.</summary>
    public static readonly XNamespace Camunda = "http://camunda.org/schema/1.0/bpmn";

    /// <summary>Camunda 8 extensions; read only to warn about what WeOps does not honour.</summary>
    public static readonly XNamespace Zeebe = "http://camunda.org/schema/zeebe/1.0";
}
