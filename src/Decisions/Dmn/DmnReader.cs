using System.Xml;
using System.Xml.Linq;
using WeOps.Decisions.Feel;

namespace WeOps.Decisions.Dmn;

/// <summary>A problem in a DMN file, naming the element it is about.</summary>
public sealed record DmnProblem(string? ElementId, string Message)
{
    public override string ToString() => ElementId is null ? Message : $"{ElementId}: {Message}";
}

/// <summary>A DMN file that cannot be read at all: not XML, not DMN, or over a size limit.</summary>
public sealed class DmnFormatException(IReadOnlyList<DmnProblem> problems)
    : Exception(string.Join("; ", problems.Select(p => p.ToString())))
{
    public IReadOnlyList<DmnProblem> Problems { get; } = problems;
}

/// <summary>The limits a DMN file must keep, so that a file cannot exhaust the server that reads it.</summary>
public sealed record DmnLimits(int MaxCharacters = 4_000_000, int MaxElements = 100_000, int MaxExpressionLength = 20_000, int MaxNesting = 64)
{
    public static DmnLimits Default { get; } = new();
}

/// <summary>The DMN model with the problems found while reading it; an expression with a problem evaluates to null.</summary>
public sealed record DmnReadResult(DecisionModel Model, IReadOnlyList<DmnProblem> Problems);

/// <summary>Reads DMN 1.1 to 1.5 XML (the element names are the same; each version has its own namespace).</summary>
public sealed class DmnReader
{
    public static readonly IReadOnlyList<string> Namespaces =
    [
        "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
        "http://www.omg.org/spec/DMN/20180521/MODEL/",
        "https://www.omg.org/spec/DMN/20191111/MODEL/",
        "https://www.omg.org/spec/DMN/20211108/MODEL/",
        "https://www.omg.org/spec/DMN/20230324/MODEL/",
    ];

    private readonly DmnLimits limits;
    private readonly List<DmnProblem> problems = [];
    private List<string> names = [];
    private XNamespace ns = XNamespace.None;
    private int synthetic;

    private DmnReader(DmnLimits limits) => this.limits = limits;

    public static DmnReadResult Read(string xml, DmnLimits? limits = null) => new DmnReader(limits ?? DmnLimits.Default).ReadDocument(xml);

    private DmnReadResult ReadDocument(string xml)
    {
        if (xml.Length > limits.MaxCharacters)
            throw new DmnFormatException([new(null, $"the file has {xml.Length} characters; at most {limits.MaxCharacters} are accepted")]);
        XDocument doc;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = limits.MaxCharacters };
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            doc = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new DmnFormatException([new(null, $"the file is not well-formed XML: {e.Message}")]);
        }
        var root = doc.Root!;
        if (root.Name.LocalName != "definitions" || !Namespaces.Contains(root.Name.NamespaceName))
            throw new DmnFormatException([new(null, $"the root element is {{{root.Name.NamespaceName}}}{root.Name.LocalName}; expected definitions in a DMN 1.1-1.5 namespace")]);
        var count = root.DescendantsAndSelf().Count();
        if (count > limits.MaxElements)
            throw new DmnFormatException([new(null, $"the file has {count} elements; at most {limits.MaxElements} are accepted")]);
        ns = root.Name.Namespace;
        names = root.Descendants().Select(e => (string?)e.Attribute("name")).OfType<string>().Where(n => n.Length > 0).Distinct().ToList();

        var types = new Dictionary<string, ItemType>(StringComparer.Ordinal);
        foreach (var e in root.Elements(ns + "itemDefinition"))
        {
            var t = ReadItemType(e, 0);
            types[t.Name] = t;
        }
        var decisions = root.Elements(ns + "decision").Select(e => new Decision(Id(e), Name(e), VariableType(e), ReadRequirements(e), ReadExpression(ExpressionChild(e), 0))).ToList();
        var inputs = root.Elements(ns + "inputData").Select(e => new InputData(Id(e), Name(e), VariableType(e))).ToList();
        var bkms = root.Elements(ns + "businessKnowledgeModel").Select(e =>
        {
            var logic = e.Element(ns + "encapsulatedLogic");
            return new KnowledgeModel(Id(e), Name(e), ReadRequirements(e), logic is null ? null : ReadFunction(logic, 0));
        }).ToList();
        var services = root.Elements(ns + "decisionService").Select(e => new DecisionService(Id(e), Name(e),
            Hrefs(e, "outputDecision"), Hrefs(e, "encapsulatedDecision"), Hrefs(e, "inputDecision"), Hrefs(e, "inputData"))).ToList();
        CheckUniqueNames(root);

        var model = new DecisionModel
        {
            Name = (string?)root.Attribute("name") ?? "",
            Namespace = (string?)root.Attribute("namespace") ?? "",
            Decisions = decisions,
            Inputs = inputs,
            KnowledgeModels = bkms,
            Services = services,
            ItemTypes = types,
        };
        return new DmnReadResult(model, problems);
    }

    private void CheckUniqueNames(XElement root)
    {
        var named = root.Elements().Where(e => e.Name.LocalName is "decision" or "inputData" or "businessKnowledgeModel" or "decisionService");
        foreach (var group in named.GroupBy(e => (string?)e.Attribute("name")).Where(g => g.Key is not null && g.Count() > 1))
            problems.Add(new(Id(group.Skip(1).First()), $"the name '{group.Key}' is used by {group.Count()} elements"));
    }

    private string Id(XElement e) => (string?)e.Attribute("id") ?? $"{e.Name.LocalName}-{++synthetic}";

    private string Name(XElement e)
    {
        var name = (string?)e.Attribute("name");
        if (string.IsNullOrWhiteSpace(name)) problems.Add(new(Id(e), $"the {e.Name.LocalName} has no name"));
        return name ?? "";
    }

    private string? VariableType(XElement e) => (string?)e.Element(ns + "variable")?.Attribute("typeRef") ?? (string?)e.Attribute("typeRef");

    private static string? TypeRef(XElement e) => (string?)e.Attribute("typeRef");

    private static string Href(XElement? e)
    {
        var href = (string?)e?.Attribute("href") ?? "";
        var hash = href.IndexOf('#', StringComparison.Ordinal);
        return hash >= 0 ? href[(hash + 1)..] : href;
    }

    private List<string> Hrefs(XElement e, string child) => e.Elements(ns + child).Select(Href).ToList();

    private Requirements ReadRequirements(XElement e) => new(
        e.Elements(ns + "informationRequirement").Select(r => r.Element(ns + "requiredDecision")).Where(r => r is not null).Select(Href).ToList(),
        e.Elements(ns + "informationRequirement").Select(r => r.Element(ns + "requiredInput")).Where(r => r is not null).Select(Href).ToList(),
        e.Elements(ns + "knowledgeRequirement").Select(r => Href(r.Element(ns + "requiredKnowledge"))).ToList());

    private ItemType ReadItemType(XElement e, int nesting)
    {
        if (nesting > limits.MaxNesting) throw Nested(e);
        var allowed = e.Element(ns + "allowedValues")?.Element(ns + "text")?.Value;
        return new ItemType
        {
            Name = (string?)e.Attribute("name") ?? "",
            TypeRef = e.Element(ns + "typeRef")?.Value.Trim() ?? (string?)e.Attribute("typeRef"),
            IsCollection = (bool?)e.Attribute("isCollection") ?? false,
            IsFunction = e.Element(ns + "functionItem") is not null,
            AllowedValues = allowed is null ? null : Feel(e, allowed, tests: true),
            Components = e.Elements(ns + "itemComponent").Select(c => ((string?)c.Attribute("name") ?? "", ReadItemType(c, nesting + 1))).ToList(),
        };
    }

    private DmnFormatException Nested(XElement e) =>
        new([new(Id(e), $"expressions nest deeper than {limits.MaxNesting} levels")]);

    private static readonly HashSet<string> ExpressionNames = new(StringComparer.Ordinal)
    {
        "literalExpression", "decisionTable", "context", "list", "relation", "invocation", "functionDefinition", "conditional", "filter", "for", "every", "some",
    };

    private XElement? ExpressionChild(XElement e) => e.Elements().FirstOrDefault(c => c.Name.Namespace == ns && ExpressionNames.Contains(c.Name.LocalName));

    private Node Feel(XElement owner, string text, bool tests)
    {
        var id = Id(owner);
        if (text.Length > limits.MaxExpressionLength)
        {
            problems.Add(new(id, $"the expression has {text.Length} characters; at most {limits.MaxExpressionLength} are accepted"));
            return new Literal(null);
        }
        try
        {
            return tests ? FeelParser.UnaryTests(text, names) : FeelParser.Expression(text, names);
        }
        catch (FeelSyntaxException ex)
        {
            problems.Add(new(id, $"'{Shorten(text)}' is not valid FEEL: {ex.Message}"));
            return new Literal(null);
        }
    }

    private static string Shorten(string s) => s.Length > 80 ? s[..80] + "..." : s;

    private DmnExpression? ReadExpression(XElement? e, int nesting)
    {
        if (e is null) return null;
        if (nesting > limits.MaxNesting) throw Nested(e);
        var id = Id(e);
        var typeRef = TypeRef(e);
        var n = nesting + 1;
        switch (e.Name.LocalName)
        {
            case "literalExpression":
                var text = e.Element(ns + "text")?.Value;
                if (text is null && e.Element(ns + "importedValues") is not null)
                    problems.Add(new(id, "imported values are not supported"));
                return new LiteralExpression { Id = id, TypeRef = typeRef, Body = string.IsNullOrWhiteSpace(text) ? new Literal(null) : Feel(e, text, tests: false) };
            case "decisionTable":
                return ReadTable(e);
            case "context":
                return new ContextExpression
                {
                    Id = id,
                    TypeRef = typeRef,
                    Entries = e.Elements(ns + "contextEntry").Select(c =>
                    {
                        var variable = c.Element(ns + "variable");
                        return new ContextEntry((string?)variable?.Attribute("name"), (string?)variable?.Attribute("typeRef"), ReadExpression(ExpressionChild(c), n));
                    }).ToList(),
                };
            case "list":
                return new ListExpression { Id = id, TypeRef = typeRef, Items = ExpressionChildren(e, n) };
            case "relation":
                return new RelationExpression
                {
                    Id = id,
                    TypeRef = typeRef,
                    Columns = e.Elements(ns + "column").Select(c => (string?)c.Attribute("name") ?? "").ToList(),
                    Rows = e.Elements(ns + "row").Select(r => (IReadOnlyList<DmnExpression>)ExpressionChildren(r, n)).ToList(),
                };
            case "invocation":
                var callee = ReadExpression(ExpressionChild(e), n);
                if (callee is null) problems.Add(new(id, "the invocation names no function"));
                return new InvocationExpression
                {
                    Id = id,
                    TypeRef = typeRef,
                    Callee = callee ?? new LiteralExpression { Id = id, Body = new Literal(null) },
                    Bindings = e.Elements(ns + "binding").Select(b => new Binding(
                        (string?)b.Element(ns + "parameter")?.Attribute("name") ?? "", ReadExpression(ExpressionChild(b), n))).ToList(),
                };
            case "functionDefinition":
                return ReadFunction(e, n);
            case "conditional":
                return new ConditionalExpression
                {
                    Id = id,
                    TypeRef = typeRef,
                    If = Part(e, "if", n),
                    Then = Part(e, "then", n),
                    Else = Part(e, "else", n),
                };
            case "filter":
                return new FilterExpression { Id = id, TypeRef = typeRef, In = Part(e, "in", n), Match = Part(e, "match", n) };
            default:
                return new IteratorExpression
                {
                    Id = id,
                    TypeRef = typeRef,
                    Kind = e.Name.LocalName,
                    Variable = (string?)e.Attribute("iteratorVariable") ?? "",
                    In = Part(e, "in", n),
                    Body = Part(e, e.Name.LocalName == "for" ? "return" : "satisfies", n),
                };
        }
    }

    private List<DmnExpression> ExpressionChildren(XElement e, int nesting) =>
        e.Elements().Where(c => c.Name.Namespace == ns && ExpressionNames.Contains(c.Name.LocalName)).Select(c => ReadExpression(c, nesting)!).ToList();

    private DmnExpression Part(XElement e, string child, int nesting)
    {
        var part = e.Element(ns + child);
        var expression = ReadExpression(part is null ? null : ExpressionChild(part), nesting);
        if (expression is null) problems.Add(new(Id(e), $"the {e.Name.LocalName} has no '{child}' expression"));
        return expression ?? new LiteralExpression { Id = Id(e), Body = new Literal(null) };
    }

    private FunctionDefinition ReadFunction(XElement e, int nesting)
    {
        var kind = (string?)e.Attribute("kind") ?? "FEEL";
        if (kind != "FEEL") problems.Add(new(Id(e), $"functions of kind {kind} are not supported"));
        return new FunctionDefinition
        {
            Id = Id(e),
            TypeRef = TypeRef(e),
            Kind = kind,
            Parameters = e.Elements(ns + "formalParameter").Select(p => new FormalParameter((string?)p.Attribute("name") ?? "", TypeRef(p))).ToList(),
            Body = ReadExpression(ExpressionChild(e), nesting + 1),
        };
    }

    private DecisionTable ReadTable(XElement e)
    {
        var id = Id(e);
        var inputs = e.Elements(ns + "input").Select(i =>
        {
            var expression = i.Element(ns + "inputExpression");
            var values = i.Element(ns + "inputValues")?.Element(ns + "text")?.Value;
            var text = expression?.Element(ns + "text")?.Value;
            if (string.IsNullOrWhiteSpace(text)) problems.Add(new(Id(i), "the input has no input expression"));
            return new TableInput(Id(i), (string?)i.Attribute("label"), string.IsNullOrWhiteSpace(text) ? new Literal(null) : Feel(expression!, text, tests: false),
                expression is null ? null : TypeRef(expression), string.IsNullOrWhiteSpace(values) ? null : Feel(i, values, tests: true));
        }).ToList();
        var outputs = e.Elements(ns + "output").Select(o =>
        {
            var values = o.Element(ns + "outputValues")?.Element(ns + "text")?.Value;
            var fallback = o.Element(ns + "defaultOutputEntry")?.Element(ns + "text")?.Value;
            return new TableOutput(Id(o), (string?)o.Attribute("name"), TypeRef(o),
                string.IsNullOrWhiteSpace(values) ? null : Feel(o, values, tests: true),
                string.IsNullOrWhiteSpace(values) ? null : Feel(o, "[" + values + "]", tests: false),
                string.IsNullOrWhiteSpace(fallback) ? null : Feel(o, fallback, tests: false));
        }).ToList();
        if (outputs.Count == 0) problems.Add(new(id, "the decision table has no output"));
        if (outputs.Count > 1 && outputs.Any(o => string.IsNullOrEmpty(o.Name)))
            problems.Add(new(id, "a decision table with several outputs must name each output"));
        var rules = e.Elements(ns + "rule").Select(r =>
        {
            var ins = r.Elements(ns + "inputEntry").Select(x => Feel(x, x.Element(ns + "text")?.Value is { Length: > 0 } t ? t : "-", tests: true)).ToList();
            var outs = r.Elements(ns + "outputEntry").Select(x => Feel(x, x.Element(ns + "text")?.Value is { Length: > 0 } t && !string.IsNullOrWhiteSpace(t) ? t : "null", tests: false)).ToList();
            if (ins.Count != inputs.Count) problems.Add(new(Id(r), $"the rule has {ins.Count} input entries for {inputs.Count} inputs"));
            if (outs.Count != outputs.Count) problems.Add(new(Id(r), $"the rule has {outs.Count} output entries for {outputs.Count} outputs"));
            while (ins.Count < inputs.Count) ins.Add(new Literal(false));
            while (outs.Count < outputs.Count) outs.Add(new Literal(null));
            return new TableRule(Id(r), ins, outs, r.Elements(ns + "annotationEntry").Select(a => a.Element(ns + "text")?.Value ?? "").ToList());
        }).ToList();
        var hit = ((string?)e.Attribute("hitPolicy") ?? "UNIQUE") switch
        {
            "UNIQUE" => HitPolicy.Unique,
            "ANY" => HitPolicy.Any,
            "PRIORITY" => HitPolicy.Priority,
            "FIRST" => HitPolicy.First,
            "RULE ORDER" => HitPolicy.RuleOrder,
            "OUTPUT ORDER" => HitPolicy.OutputOrder,
            "COLLECT" => HitPolicy.Collect,
            var other => Unknown(id, $"the hit policy '{other}' is not one of UNIQUE, ANY, PRIORITY, FIRST, RULE ORDER, OUTPUT ORDER, COLLECT", HitPolicy.Unique),
        };
        var aggregation = ((string?)e.Attribute("aggregation")) switch
        {
            null => Aggregation.None,
            "SUM" => Aggregation.Sum,
            "MIN" => Aggregation.Min,
            "MAX" => Aggregation.Max,
            "COUNT" => Aggregation.Count,
            var other => Unknown(id, $"the aggregation '{other}' is not one of SUM, MIN, MAX, COUNT", Aggregation.None),
        };
        if (aggregation != Aggregation.None && hit != HitPolicy.Collect) problems.Add(new(id, "an aggregation is allowed only with the COLLECT hit policy"));
        if (aggregation != Aggregation.None && outputs.Count > 1) problems.Add(new(id, "an aggregation needs a single output"));
        return new DecisionTable
        {
            Id = id,
            TypeRef = TypeRef(e),
            HitPolicy = hit,
            Aggregation = aggregation,
            Inputs = inputs,
            Outputs = outputs,
            Rules = rules,
            AnnotationNames = e.Elements(ns + "annotation").Select(a => (string?)a.Attribute("name") ?? "").ToList(),
        };
    }

    private T Unknown<T>(string id, string message, T fallback)
    {
        problems.Add(new(id, message));
        return fallback;
    }
}
