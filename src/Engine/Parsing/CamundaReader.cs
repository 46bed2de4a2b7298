using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using WeOps.Engine.Model;
using static WeOps.Engine.Parsing.BpmnNamespaces;
using static WeOps.Engine.Parsing.ParseContext;

namespace WeOps.Engine.Parsing;

/// <summary>Reads the Camunda 7 extensions that have a WeOps meaning into the engine's own definitions
/// (ADR 0031): input/output parameters, call activity in/out mappings, the initiator, error variables,
/// and the standard resource assignments Camunda reads. What it reads is listed in <see cref="Honoured"/>,
/// so that <see cref="VendorExtensions"/> warns about everything else.</summary>
internal sealed class CamundaReader(ParseContext context)
{
    /// <summary>Camunda attributes the parser reads, on any element.</summary>
    public static readonly HashSet<string> HonouredAttributes = new(StringComparer.Ordinal)
    {
        "assignee", "candidateUsers", "candidateGroups", "dueDate", "formKey", "formRef", "resultVariable",
        "collection", "elementVariable", "calledElementBinding", "calledElementVersion", "initiator",
        "errorCodeVariable", "errorMessageVariable",
    };

    /// <summary>Camunda extension elements the parser reads; their content is read with them.</summary>
    public static readonly HashSet<string> HonouredElements = new(StringComparer.Ordinal) { "inputOutput", "in", "out" };

    /// <summary><c>camunda:inputParameter</c> (or <c>outputParameter</c>) as mappings: text as a template (a lone
    /// <c>${expr}</c> keeps its type), an empty parameter as null, a list or map as a JavaScript literal.</summary>
    public IReadOnlyList<VariableMapping> Parameters(XElement owner, string localName, string ownerId)
    {
        var inputOutput = owner.Element(Bpmn + "extensionElements")?.Element(Camunda + "inputOutput");
        if (inputOutput is null) return [];
        var mappings = new List<VariableMapping>();
        foreach (var parameter in inputOutput.Elements(Camunda + localName))
        {
            var name = NonEmpty((string?)parameter.Attribute("name"));
            if (name is null)
            {
                context.Error(ownerId, $"{Describe(owner)} has a <camunda:{localName}> without a name: name the variable it sets.", parameter);
                continue;
            }

            if (Value(parameter, owner, ownerId) is { } value) mappings.Add(new VariableMapping(name, value));
        }

        return mappings;
    }

    /// <summary>The template a parameter's content stands for; null (reported) for content WeOps cannot run.</summary>
    private string? Value(XElement parameter, XElement owner, string ownerId)
    {
        var content = parameter.Elements().ToList();
        if (content.Count == 0)
            return parameter.Value.Trim().Length == 0 ? "${null}" : parameter.Value.Trim();
        var literal = Literal(content[0], owner, ownerId);
        return literal is null ? null : "${" + literal + "}";
    }

    /// <summary>A JavaScript literal for a <c>camunda:list</c>, <c>camunda:map</c> or <c>camunda:value</c>.</summary>
    private string? Literal(XElement element, XElement owner, string ownerId)
    {
        switch (element.Name == Camunda + "list" || element.Name == Camunda + "map" || element.Name == Camunda + "value" ? element.Name.LocalName : null)
        {
            case "list":
                var items = element.Elements().Select(e => Literal(e, owner, ownerId)).ToList();
                return items.Any(i => i is null) ? null : "[" + string.Join(", ", items) + "]";
            case "map":
                var entries = new StringBuilder("({");
                foreach (var entry in element.Elements(Camunda + "entry"))
                {
                    var value = entry.Elements().FirstOrDefault() is { } nested ? Literal(nested, owner, ownerId) : Scalar(entry.Value);
                    if (value is null) return null;
                    if (entries.Length > 2) entries.Append(", ");
                    entries.Append(JsonSerializer.Serialize((string?)entry.Attribute("key") ?? string.Empty)).Append(": ").Append(value);
                }

                return entries.Append("})").ToString();
            case "value":
                return element.Elements().FirstOrDefault() is { } inner ? Literal(inner, owner, ownerId) : Scalar(element.Value);
            default:
                context.Warning(ownerId, $"{Describe(owner)}: <camunda:{element.Name.LocalName}> inside a Camunda parameter is not run by WeOps, so the parameter is left out: write its value as a ${{...}} JavaScript expression.", element);
                return null;
        }
    }

    /// <summary>A lone <c>${expr}</c> stays an expression; any other text is a string.</summary>
    private static string Scalar(string text)
    {
        var trimmed = text.Trim();
        return trimmed.StartsWith("${", StringComparison.Ordinal) && trimmed.EndsWith('}') && trimmed.IndexOf("${", 2, StringComparison.Ordinal) < 0
            ? "(" + trimmed[2..^1] + ")"
            : JsonSerializer.Serialize(text);
    }

    /// <summary><c>camunda:in</c> and <c>camunda:out</c> of a call activity; null when it has neither.</summary>
    public CallMappings? CallMappings(XElement call, string ownerId)
    {
        var extensions = call.Element(Bpmn + "extensionElements");
        var ins = extensions?.Elements(Camunda + "in").ToList() ?? [];
        var outs = extensions?.Elements(Camunda + "out").ToList() ?? [];
        if (ins.Count == 0 && outs.Count == 0) return null;
        var (inputs, allIn) = Mappings(ins, call, ownerId);
        var (outputs, allOut) = Mappings(outs, call, ownerId);
        return new CallMappings(inputs, outputs, allIn, allOut);
    }

    private (List<VariableMapping> Mappings, bool All) Mappings(List<XElement> elements, XElement call, string ownerId)
    {
        var mappings = new List<VariableMapping>();
        var all = false;
        foreach (var element in elements)
        {
            var kind = element.Name.LocalName;
            if (element.Attribute("local") is { } local && local.Value.Trim() == "true")
                context.Warning(ownerId, $"{Describe(call)}: camunda:{kind} local=\"true\" is not honoured: WeOps reads and writes the process variables the call activity sees.", element);
            if ((string?)element.Attribute("variables") == "all")
            {
                all = true;
                continue;
            }

            var target = NonEmpty((string?)element.Attribute("target"));
            var source = NonEmpty((string?)element.Attribute("source"));
            var expression = NonEmpty((string?)element.Attribute("sourceExpression"));
            if (target is null || (source is null) == (expression is null))
            {
                context.Error(ownerId, $"{Describe(call)}: <camunda:{kind}> needs a target and either a source or a sourceExpression.", element);
                continue;
            }

            mappings.Add(new VariableMapping(target, expression ?? "${" + source + "}"));
        }

        return (mappings, all);
    }

    /// <summary><c>camunda:initiator</c> on a start event.</summary>
    public static string? Initiator(XElement start) => NonEmpty((string?)start.Attribute(Camunda + "initiator"));

    /// <summary>The standard <c>humanPerformer</c> (the assignee) and <c>potentialOwner</c> (candidates:
    /// <c>user(name)</c>, <c>group(name)</c>, a bare name is a group) as Camunda reads them.</summary>
    public static (string? Assignee, IReadOnlyList<string> Users, IReadOnlyList<string> Groups) ResourceAssignments(XElement task)
    {
        string? assignee = null;
        var users = new List<string>();
        var groups = new List<string>();
        foreach (var role in task.Elements().Where(e => e.Name == Bpmn + "humanPerformer" || e.Name == Bpmn + "potentialOwner"))
        {
            var text = NonEmpty(role.Element(Bpmn + "resourceAssignmentExpression")?.Element(Bpmn + "formalExpression")?.Value);
            if (text is null) continue;
            if (role.Name.LocalName == "humanPerformer")
            {
                assignee ??= text.StartsWith("user(", StringComparison.Ordinal) && text.EndsWith(')') ? text[5..^1].Trim() : text;
                continue;
            }

            foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (item.StartsWith("user(", StringComparison.Ordinal) && item.EndsWith(')')) users.Add(item[5..^1].Trim());
                else if (item.StartsWith("group(", StringComparison.Ordinal) && item.EndsWith(')')) groups.Add(item[6..^1].Trim());
                else groups.Add(item);
            }
        }

        return (assignee, users, groups);
    }
}

/// <summary>A call activity's Camunda <c>in</c>/<c>out</c> mappings.</summary>
internal sealed record CallMappings(IReadOnlyList<VariableMapping> Inputs, IReadOnlyList<VariableMapping> Outputs, bool AllIn, bool AllOut);
