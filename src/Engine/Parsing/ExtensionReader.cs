using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using WeOps.Engine.Model;
using static WeOps.Engine.Parsing.BpmnNamespaces;
using static WeOps.Engine.Parsing.ParseContext;

namespace WeOps.Engine.Parsing;

/// <summary>Reads the engine settings of an element: <c>ops:</c> extension elements, and the
/// Camunda 7 attributes that mean the same thing.</summary>
internal sealed class ExtensionReader(ParseContext context)
{
    private const int DefaultRetries = 3;
    private static readonly TimeSpan DefaultRetryBackoff = TimeSpan.FromSeconds(5);

    /// <summary><c>ops:input</c> or <c>ops:output</c> mappings, in file order.</summary>
    public IReadOnlyList<VariableMapping> Mappings(XElement owner, string localName, string ownerId)
    {
        var mappings = new List<VariableMapping>();
        foreach (var element in owner.Element(Bpmn + "extensionElements")?.Elements(Ops + localName) ?? [])
        {
            var name = NonEmpty((string?)element.Attribute("name"));
            if (name is null)
            {
                context.Error(ownerId, $"{Describe(owner)} has an <ops:{localName}> without a name: name the variable it sets.", element);
                continue;
            }

            mappings.Add(new VariableMapping(name, (string?)element.Attribute("value") ?? string.Empty));
        }

        return mappings;
    }

    /// <summary><c>ops:task</c>; null when absent or without a type (the validator says what to choose).</summary>
    public TaskDefinition? Task(XElement owner, string ownerId)
    {
        var element = OpsElement(owner, "task");
        var type = NonEmpty((string?)element?.Attribute("type"));
        if (element is null || type is null) return null;

        var retries = DefaultRetries;
        if (element.Attribute("retries") is { } retriesAttribute)
        {
            if (!int.TryParse(retriesAttribute.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out retries))
            {
                context.Error(ownerId, $"{Describe(owner)}: ops:task retries \"{retriesAttribute.Value}\" is not a whole number; write 0 or more.", element);
                retries = DefaultRetries;
            }
        }

        var timeout = Duration(element, "timeout", owner, ownerId);
        if (timeout <= TimeSpan.Zero)
        {
            context.Error(ownerId, $"{Describe(owner)}: ops:task timeout must be longer than zero.", element);
            timeout = null;
        }

        var backoff = Duration(element, "retryBackoff", owner, ownerId) ?? DefaultRetryBackoff;
        if (backoff < TimeSpan.Zero)
        {
            context.Error(ownerId, $"{Describe(owner)}: ops:task retryBackoff cannot be negative.", element);
            backoff = DefaultRetryBackoff;
        }

        return new TaskDefinition(type, retries, timeout, backoff);
    }

    /// <summary>A user task's assignment from <c>ops:assignment</c> and <c>ops:form</c>, falling back
    /// to Camunda's attributes field by field.</summary>
    public UserTaskDefinition UserTask(XElement owner)
    {
        var assignment = OpsElement(owner, "assignment");
        string? Read(string name) =>
            NonEmpty((string?)assignment?.Attribute(name)) ?? NonEmpty((string?)owner.Attribute(Camunda + name));

        return new UserTaskDefinition
        {
            Assignee = Read("assignee"),
            CandidateGroups = List(Read("candidateGroups")),
            CandidateUsers = List(Read("candidateUsers")),
            DueDate = Read("dueDate"),
            FormKey = NonEmpty((string?)OpsElement(owner, "form")?.Attribute("key"))
                ?? NonEmpty((string?)owner.Attribute(Camunda + "formKey")),
        };
    }

    /// <summary>Multi-instance settings: the standard marker, with the collection from <c>ops:loop</c>
    /// (or Camunda's attributes on the marker).</summary>
    public LoopDefinition? Loop(XElement owner, string ownerId)
    {
        var marker = owner.Element(Bpmn + "multiInstanceLoopCharacteristics");
        var loop = OpsElement(owner, "loop");
        if (marker is null)
        {
            if (loop is not null)
                context.Warning(ownerId, $"{Describe(owner)} has <ops:loop> but no multi-instance marker, so it runs once: set the marker (parallel or sequential) or remove ops:loop.", loop);
            return null;
        }

        return new LoopDefinition
        {
            IsSequential = Bool(marker, "isSequential", false, owner, ownerId),
            Cardinality = NonEmpty(marker.Element(Bpmn + "loopCardinality")?.Value),
            CompletionCondition = NonEmpty(marker.Element(Bpmn + "completionCondition")?.Value),
            Collection = NonEmpty((string?)loop?.Attribute("collection")) ?? NonEmpty((string?)marker.Attribute(Camunda + "collection")),
            ElementVariable = NonEmpty((string?)loop?.Attribute("element")) ?? NonEmpty((string?)marker.Attribute(Camunda + "elementVariable")),
            OutputCollection = NonEmpty((string?)loop?.Attribute("outputCollection")),
            OutputElement = NonEmpty((string?)loop?.Attribute("outputElement")),
        };
    }

    /// <summary><c>ops:alert</c> on a start event: label matchers in Alertmanager syntax and storm control;
    /// null when absent. A rule whose matchers do not parse is reported and kept without matchers,
    /// so the validator does not report it a second time.</summary>
    public AlertEventDefinition? Alert(XElement owner, string ownerId)
    {
        var element = OpsElement(owner, "alert");
        if (element is null) return null;

        IReadOnlyList<LabelMatcher> matchers = [];
        var match = (string?)element.Attribute("match");
        if (match is null)
            context.Error(ownerId, $"{Describe(owner)}: ops:alert has no match attribute: name the alerts it starts for, e.g. match='alertname=\"DiskFull\"'.", element);
        else if (!MatcherSyntax.TryParse(match, out matchers, out var error))
            context.Error(ownerId, $"{Describe(owner)}: ops:alert match \"{Shorten(match)}\" is not valid: {error}.", element);

        var rule = new AlertRule(matchers)
        {
            MaxConcurrent = PositiveInt(element, "maxConcurrent", owner, ownerId),
            Cooldown = Duration(element, "cooldown", owner, ownerId),
            BreakerFailures = PositiveInt(element, "breakerFailures", owner, ownerId),
            BreakerWindow = Duration(element, "breakerWindow", owner, ownerId) ?? AlertRule.DefaultBreakerWindow,
        };
        if (rule.Cooldown < TimeSpan.Zero)
            context.Error(ownerId, $"{Describe(owner)}: ops:alert cooldown cannot be negative.", element);
        if (rule.BreakerWindow <= TimeSpan.Zero)
            context.Error(ownerId, $"{Describe(owner)}: ops:alert breakerWindow must be longer than zero.", element);
        if (element.Attribute("breakerWindow") is not null && rule.BreakerFailures is null)
            context.Warning(ownerId, $"{Describe(owner)}: ops:alert has a breakerWindow but no breakerFailures, so the breaker never opens: set breakerFailures.", element);
        return new AlertEventDefinition(rule);
    }

    private int? PositiveInt(XElement element, string attribute, XElement owner, string ownerId)
    {
        if (element.Attribute(attribute) is not { } found) return null;
        if (int.TryParse(found.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0) return value;
        context.Error(ownerId, $"{Describe(owner)}: ops:alert {attribute}=\"{Shorten(found.Value)}\" is not a whole number of 1 or more.", element);
        return null;
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;

    public static string? CorrelationKey(XElement owner) =>
        NonEmpty((string?)OpsElement(owner, "subscription")?.Attribute("correlationKey"));

    /// <summary>An xsd:boolean attribute; a value that is not one is reported and the default used.</summary>
    public bool Bool(XElement element, string attribute, bool fallback, XElement owner, string ownerId)
    {
        var value = (string?)element.Attribute(attribute);
        if (value is null) return fallback;
        try
        {
            return XmlConvert.ToBoolean(value);
        }
        catch (FormatException)
        {
            context.Error(ownerId, $"{Describe(owner)}: {attribute}=\"{value}\" is not true or false.", element);
            return fallback;
        }
    }

    /// <summary>An ISO 8601 duration attribute (<c>PT5M</c>); null when absent or not a duration (reported).</summary>
    public TimeSpan? Duration(XElement element, string attribute, XElement owner, string ownerId)
    {
        var value = (string?)element.Attribute(attribute);
        if (value is null) return null;
        try
        {
            return XmlConvert.ToTimeSpan(value.Trim());
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            context.Error(ownerId, $"{Describe(owner)}: {attribute}=\"{value}\" is not an ISO 8601 duration such as PT5M or PT30S.", element);
            return null;
        }
    }

    private static IReadOnlyList<string> List(string? commaSeparated) =>
        commaSeparated is null
            ? []
            : commaSeparated.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
