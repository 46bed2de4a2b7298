using System.Xml;
using System.Xml.Linq;
using WeOps.Engine.Validation;
using static WeOps.Engine.Parsing.BpmnNamespaces;

namespace WeOps.Engine.Parsing;

/// <summary>What one file's parse shares across its processes: the problems found, the messages,
/// signals and errors declared at definitions level, and the ids already taken.</summary>
internal sealed class ParseContext
{
    /// <summary><c>ops:</c> elements that something in the engine reads: the parser, the triggers
    /// (<c>http</c>, <c>alert</c>) and approvals. Add a name here when code starts reading it.</summary>
    private static readonly HashSet<string> KnownOpsElements = new(StringComparer.Ordinal)
    {
        "task", "input", "output", "loop", "subscription", "calledProcess", "cron", "script",
        "assignment", "form", "http", "httpReply", "alert", "approval",
    };

    private readonly Dictionary<string, int> lineById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, XElement> messages;
    private readonly Dictionary<string, XElement> signals;
    private readonly Dictionary<string, XElement> errors;

    public ParseContext(XElement definitions)
    {
        messages = Declared(definitions, "message");
        signals = Declared(definitions, "signal");
        errors = Declared(definitions, "error");
    }

    public List<ValidationProblem> Problems { get; } = [];

    public void Error(string? elementId, string message, XObject? at) =>
        Problems.Add(ValidationProblem.Error(elementId, message, LineOf(at)));

    public void Warning(string? elementId, string message, XObject? at) =>
        Problems.Add(ValidationProblem.Warning(elementId, message, LineOf(at)));

    /// <summary>A problem with a code, said again in the reader's language from its arguments.</summary>
    public void Warning(string? elementId, ProblemCode code, XObject? at, params (string Name, string Value)[] args) =>
        Problems.Add(ValidationProblem.Of(code, Severity.Warning, elementId, args.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal), LineOf(at)));

    /// <summary>True the first time a foreign namespace is reported in this file: each is listed once.</summary>
    public bool ReportForeignNamespace(string ns) => foreignNamespaces.Add(ns);

    private readonly HashSet<string> foreignNamespaces = new(StringComparer.Ordinal);

    public static int? LineOf(XObject? at) =>
        at is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : null;

    /// <summary>Takes the element's id for the document; false (with a problem) when it has none
    /// or another element already took it, in which case the element is left out.</summary>
    public bool Claim(XElement element, out string id)
    {
        id = ((string?)element.Attribute("id"))?.Trim() ?? string.Empty;
        var line = LineOf(element);
        if (id.Length == 0)
        {
            Error(null, $"A <{element.Name.LocalName}> element{At(line)} has no id: give it one (it is left out until then).", element);
            return false;
        }

        if (lineById.TryGetValue(id, out var firstLine))
        {
            Error(id, $"Two elements have the id '{id}' (lines {firstLine} and {line ?? 0}): ids must be unique, so the second <{element.Name.LocalName}> is left out. Rename one of them.", element);
            return false;
        }

        lineById.Add(id, line ?? 0);
        return true;
    }

    /// <summary>Takes a sequence flow's id; one without an id (the schema allows that) gets one made of its
    /// source and target, <c>start-&gt;review</c>, which no id in a file can clash with (an XML id has no
    /// <c>&gt;</c>). The same file always gives the same ids, so instances keep finding their flows.</summary>
    public bool ClaimFlow(XElement element, out string id)
    {
        if (NonEmpty((string?)element.Attribute("id")) is not null) return Claim(element, out id);

        var generated = $"{NonEmpty((string?)element.Attribute("sourceRef"))}->{NonEmpty((string?)element.Attribute("targetRef"))}";
        id = generated;
        for (var n = 2; lineById.ContainsKey(id); n++) id = $"{generated}#{n}";
        lineById.Add(id, LineOf(element) ?? 0);
        return true;
    }

    /// <summary>Warns about <c>ops:</c> extension elements nobody reads: most likely a typo.</summary>
    public void CheckOpsElements(XElement owner, string ownerId)
    {
        foreach (var element in Extensions(owner))
        {
            if (element.Name.Namespace == Ops && !KnownOpsElements.Contains(element.Name.LocalName))
                Warning(ownerId, $"{Describe(owner)} has an unknown extension <ops:{element.Name.LocalName}>; it is ignored. Check the spelling.", element);
        }
    }

    /// <summary>The name a message reference stands for: the message's name, else its id; empty when
    /// there is no reference (the validator reports that).</summary>
    public string MessageName(XElement definition, string ownerId, XElement owner) =>
        ReferencedName(definition, "messageRef", messages, "message", ownerId, owner);

    public string SignalName(XElement definition, string ownerId, XElement owner) =>
        ReferencedName(definition, "signalRef", signals, "signal", ownerId, owner);

    /// <summary>The error code and name an error event refers to; both null when it refers to none
    /// (a catch-all on a boundary event).</summary>
    public (string? Code, string? Name) ErrorReference(XElement definition, string ownerId, XElement owner)
    {
        var reference = NonEmpty((string?)definition.Attribute("errorRef"));
        if (reference is null) return (null, null);
        var declared = Resolve(reference, errors, "error", ownerId, owner, definition);

        // An unknown reference is already reported; keeping it as the code avoids a second problem.
        return declared is null
            ? (reference, null)
            : (NonEmpty((string?)declared.Attribute("errorCode")), NonEmpty((string?)declared.Attribute("name")));
    }

    public static IEnumerable<XElement> Extensions(XElement owner) =>
        owner.Element(Bpmn + "extensionElements")?.Elements() ?? [];

    public static XElement? OpsElement(XElement owner, string localName) =>
        owner.Element(Bpmn + "extensionElements")?.Element(Ops + localName);

    /// <summary>"Restart nginx (restart)" or "restart": how a problem names an element.</summary>
    public static string Describe(XElement element)
    {
        var id = (string?)element.Attribute("id");
        var name = NonEmpty((string?)element.Attribute("name"));
        return name is null ? $"'{id}'" : $"'{name}' ({id})";
    }

    public static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private string ReferencedName(
        XElement definition, string attribute, Dictionary<string, XElement> declared, string kind, string ownerId, XElement owner)
    {
        var reference = NonEmpty((string?)definition.Attribute(attribute));
        if (reference is null) return string.Empty;
        var element = Resolve(reference, declared, kind, ownerId, owner, definition);
        return NonEmpty((string?)element?.Attribute("name")) ?? reference;
    }

    private XElement? Resolve(
        string reference, Dictionary<string, XElement> declared, string kind, string ownerId, XElement owner, XElement at)
    {
        if (declared.TryGetValue(reference, out var element)) return element;

        // References are QNames in the schema; a few tools write them with a prefix.
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && declared.TryGetValue(reference[(colon + 1)..], out element)) return element;

        Error(ownerId, $"{Describe(owner)} refers to {kind} '{reference}', which the file does not declare: pick an existing {kind} or add it.", at);
        return null;
    }

    private static Dictionary<string, XElement> Declared(XElement definitions, string localName)
    {
        var byId = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var element in definitions.Elements(Bpmn + localName))
        {
            if (NonEmpty((string?)element.Attribute("id")) is { } id) byId.TryAdd(id, element);
        }

        return byId;
    }

    private static string At(int? line) => line is null ? string.Empty : $" on line {line}";
}
