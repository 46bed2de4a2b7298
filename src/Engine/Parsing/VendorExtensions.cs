using System.Xml.Linq;
using WeOps.Engine.Validation;
using static WeOps.Engine.Parsing.BpmnNamespaces;

namespace WeOps.Engine.Parsing;

/// <summary>Says what of a process's vendor settings the engine does not honour (ADR 0031): each <c>camunda:</c>
/// and <c>zeebe:</c> attribute or extension element nobody reads is a warning that names it; other namespaces are
/// listed once per file as kept but ignored. Nothing is ever dropped silently.</summary>
internal static class VendorExtensions
{
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>Already reported where they are read, as forms WeOps cannot find.</summary>
    private static readonly HashSet<XName> ReportedElsewhere =
        [Camunda + "formKey", Camunda + "formRef", Zeebe + "formDefinition", Zeebe + "userTaskForm"];

    /// <summary>Containers whose children are the flow elements problems are reported on.</summary>
    private static readonly HashSet<string> Scopes = new(StringComparer.Ordinal) { "process", "subProcess", "transaction", "adHocSubProcess" };

    public static void Check(ParseContext context, XElement process, string processKey)
    {
        var foreign = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var element in process.DescendantsAndSelf())
        {
            if (element.Parent?.Name == Bpmn + "extensionElements" || element.Ancestors().Any(a => a.Parent?.Name == Bpmn + "extensionElements")) continue;
            foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration && a.Name.Namespace != XNamespace.None))
                CheckName(context, attribute.Name, element, processKey, foreign, isAttribute: true, attribute);

            if (element.Name != Bpmn + "extensionElements") continue;
            foreach (var extension in element.Elements())
                CheckName(context, extension.Name, extension.Parent!.Parent!, processKey, foreign, isAttribute: false, extension);
        }

        foreach (var (ns, names) in foreign)
        {
            if (!context.ReportForeignNamespace(ns)) continue;
            context.Warning(processKey, ProblemCodes.ForeignExtensionsKept, process,
                ("element", ElementName(process, processKey)), ("namespace", ns), ("names", string.Join(", ", names)));
        }
    }

    private static void CheckName(ParseContext context, XName name, XElement on, string processKey, Dictionary<string, SortedSet<string>> foreign, bool isAttribute, XObject at)
    {
        var ns = name.Namespace;
        if (ns == Bpmn || ns == Ops || ns == Xsi || ns == XNamespace.Xml) return;
        if (ns == Camunda || ns == Zeebe)
        {
            if (ReportedElsewhere.Contains(name)) return;
            if (ns == Camunda && (isAttribute ? CamundaReader.HonouredAttributes : CamundaReader.HonouredElements).Contains(name.LocalName)) return;
            var owner = Owner(on);
            var ownerId = ParseContext.NonEmpty((string?)owner.Attribute("id")) ?? processKey;
            var prefix = ns == Camunda ? "camunda" : "zeebe";
            context.Warning(ownerId, ProblemCodes.VendorSettingIgnored, at,
                ("element", ElementName(owner, ownerId)),
                ("setting", isAttribute ? $"{prefix}:{name.LocalName}" : $"<{prefix}:{name.LocalName}>"),
                ("vendor", ns == Camunda ? "Camunda 7" : "Camunda 8"));
            return;
        }

        if (!foreign.TryGetValue(ns.NamespaceName, out var names)) foreign[ns.NamespaceName] = names = new SortedSet<string>(StringComparer.Ordinal);
        names.Add(name.LocalName);
    }

    /// <summary>The flow element (or the process) a setting belongs to: event definitions, markers and
    /// conditions report on the element that holds them.</summary>
    private static XElement Owner(XElement element)
    {
        var current = element;
        while (current.Parent is { } parent && !Scopes.Contains(current.Name.LocalName) && !Scopes.Contains(parent.Name.LocalName))
            current = parent;
        return current;
    }

    private static string ElementName(XElement element, string id) => ParseContext.NonEmpty((string?)element.Attribute("name")) ?? id;
}
