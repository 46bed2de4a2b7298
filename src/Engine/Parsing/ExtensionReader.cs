using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using WeOps.Engine.Forms;
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
    public UserTaskDefinition UserTask(XElement owner, string ownerId)
    {
        var assignment = OpsElement(owner, "assignment");
        string? Read(string name) =>
            NonEmpty((string?)assignment?.Attribute(name)) ?? NonEmpty((string?)owner.Attribute(Camunda + name));

        // The standard humanPerformer and potentialOwner, as Camunda reads them, add to the attributes.
        var (performer, users, groups) = CamundaReader.ResourceAssignments(owner);
        return new UserTaskDefinition
        {
            Assignee = Read("assignee") ?? performer,
            CandidateGroups = [.. List(Read("candidateGroups")).Union(groups, StringComparer.Ordinal)],
            CandidateUsers = [.. List(Read("candidateUsers")).Union(users, StringComparer.Ordinal)],
            DueDate = Read("dueDate"),
            FormKey = NonEmpty((string?)OpsElement(owner, "form")?.Attribute("key"))
                ?? NonEmpty((string?)owner.Attribute(Camunda + "formKey")),
            Form = Form(owner, ownerId),
            Approval = Approval(owner, ownerId),
        };
    }

    /// <summary>The form-js schema inside <c>ops:form</c> (ADR 0022); null when there is none or it is not valid
    /// (reported with the field in error). Forms referred to by key (<c>ops:form key</c>, Camunda's formKey and
    /// formRef, Zeebe's formKey) live outside the file, where WeOps cannot find them: each is a warning.</summary>
    public FormSchema? Form(XElement owner, string ownerId)
    {
        var element = OpsElement(owner, "form");
        foreach (var name in (string[])["formKey", "formRef"])
        {
            if (NonEmpty((string?)owner.Attribute(Camunda + name)) is { } reference)
                context.Warning(ownerId, $"{Describe(owner)}: camunda:{name}=\"{Shorten(reference)}\" names a form outside the file, which WeOps cannot find; {UnresolvedAdvice}", owner);
        }

        foreach (var zeebe in Extensions(owner).Where(e => e.Name.Namespace == Zeebe && e.Name.LocalName is "formDefinition" or "userTaskForm"))
        {
            var reference = NonEmpty((string?)zeebe.Attribute("formKey")) ?? NonEmpty((string?)zeebe.Attribute("formId")) ?? NonEmpty((string?)zeebe.Attribute("externalReference")) ?? zeebe.Name.LocalName;
            context.Warning(ownerId, $"{Describe(owner)}: zeebe:{zeebe.Name.LocalName} \"{Shorten(reference)}\" is a Camunda 8 form WeOps does not read; {UnresolvedAdvice}", zeebe);
        }

        if (element is null) return null;
        var json = element.Value;
        if (string.IsNullOrWhiteSpace(json))
        {
            if (NonEmpty((string?)element.Attribute("key")) is { } key)
                context.Warning(ownerId, $"{Describe(owner)}: ops:form key=\"{Shorten(key)}\" names a form outside the file, which WeOps cannot find; {UnresolvedAdvice}", element);
            else
                context.Error(ownerId, $"{Describe(owner)}: ops:form is empty: put the form-js JSON schema inside it.", element);
            return null;
        }

        var form = FormSchemaReader.Read(json, out var problems);
        foreach (var problem in problems)
            context.Error(ownerId, $"{Describe(owner)}: ops:form: {problem}", element);
        return form;
    }

    private const string UnresolvedAdvice = "the task shows no form until its form-js schema is embedded in <ops:form> (open it in the designer's Form group).";

    /// <summary><c>ops:approval</c>: null when absent. Unknown policies, outcomes, quorums and durations are
    /// reported with the element id; the value in error falls back to its default so the rest still reads.</summary>
    public ApprovalDefinition? Approval(XElement owner, string ownerId)
    {
        var element = OpsElement(owner, "approval");
        if (element is null) return null;

        var policyText = NonEmpty((string?)element.Attribute("policy")) ?? "all";
        var policy = ApprovalPolicy.All;
        if (!Enum.TryParse(policyText, ignoreCase: true, out policy) || int.TryParse(policyText, out _))
        {
            context.Error(ownerId, $"{Describe(owner)}: ops:approval policy=\"{policyText}\" is not one of any, all, quorum.", element);
            policy = ApprovalPolicy.All;
        }

        var quorum = 0;
        if (element.Attribute("quorum") is { } quorumAttribute)
        {
            if (!int.TryParse(quorumAttribute.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out quorum) || quorum < 1)
            {
                context.Error(ownerId, $"{Describe(owner)}: ops:approval quorum=\"{quorumAttribute.Value}\" is not a whole number of 1 or more.", element);
                quorum = 0;
            }
            else if (policy != ApprovalPolicy.Quorum)
            {
                context.Warning(ownerId, $"{Describe(owner)}: ops:approval has a quorum but policy=\"{policyText}\"; the quorum is used only with policy=\"quorum\".", element);
            }
        }
        else if (policy == ApprovalPolicy.Quorum)
        {
            context.Error(ownerId, $"{Describe(owner)}: ops:approval policy=\"quorum\" needs quorum=\"n\": how many approvals decide.", element);
        }

        var onExpiryText = NonEmpty((string?)element.Attribute("onExpiry")) ?? "reject";
        if (!Enum.TryParse<ApprovalExpiryOutcome>(onExpiryText, ignoreCase: true, out var onExpiry) || int.TryParse(onExpiryText, out _))
        {
            context.Error(ownerId, $"{Describe(owner)}: ops:approval onExpiry=\"{onExpiryText}\" is not one of reject, approve, escalate.", element);
            onExpiry = ApprovalExpiryOutcome.Reject;
        }

        var expiry = PositiveDuration(element, "expiry", owner, ownerId);
        var remind = PositiveDuration(element, "remind", owner, ownerId);
        return new ApprovalDefinition
        {
            Approvers = List(NonEmpty((string?)element.Attribute("approvers"))),
            Policy = policy,
            Quorum = quorum,
            Expiry = expiry,
            OnExpiry = onExpiry,
            Remind = remind,
            RequesterMayApprove = Bool(element, "requesterMayApprove", false, owner, ownerId),
            Title = NonEmpty((string?)element.Attribute("title")),
            Show = List(NonEmpty((string?)element.Attribute("show"))),
        };
    }

    private TimeSpan? PositiveDuration(XElement element, string attribute, XElement owner, string ownerId)
    {
        var value = Duration(element, attribute, owner, ownerId);
        if (value is { } duration && duration <= TimeSpan.Zero)
        {
            context.Error(ownerId, $"{Describe(owner)}: ops:approval {attribute} must be longer than zero.", element);
            return null;
        }

        return value;
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

    /// <summary><c>ops:http</c> on a start event; null when absent. The path template is checked by the
    /// validator, which sees every hook of the process at once.</summary>
    public HttpTrigger? Http(XElement owner, string ownerId)
    {
        var element = OpsElement(owner, "http");
        if (element is null) return null;

        var method = (NonEmpty((string?)element.Attribute("method")) ?? "POST").ToUpperInvariant();
        if (!HookMethods.Contains(method))
        {
            context.Error(ownerId, $"{Describe(owner)}: ops:http method \"{method}\" is not one a hook answers; use {string.Join(", ", HookMethods)}.", element);
            method = "POST";
        }

        var auth = HookAuth.ApiKey;
        switch (NonEmpty((string?)element.Attribute("auth"))?.ToLowerInvariant())
        {
            case null or "apikey":
                break;
            case "hmac":
                auth = HookAuth.Hmac;
                break;
            case var other:
                context.Error(ownerId, $"{Describe(owner)}: ops:http auth \"{other}\" is neither apikey nor hmac.", element);
                break;
        }

        var secret = NonEmpty((string?)element.Attribute("secretCredential"));
        if (auth == HookAuth.Hmac && secret is null)
            context.Error(ownerId, $"{Describe(owner)}: ops:http auth=\"hmac\" needs secretCredential, the webhook credential whose secret signs the body.", element);

        var header = NonEmpty((string?)element.Attribute("signatureHeader")) ?? HttpTrigger.DefaultSignatureHeader;
        var allowed = List(NonEmpty((string?)element.Attribute("allowHeaders")));
        foreach (var name in allowed.Append(header).Where(n => !n.All(IsHeaderNameCharacter) || n.Length > 100))
            context.Error(ownerId, $"{Describe(owner)}: ops:http names the header \"{name}\", which is not a valid header name.", element);

        var timeout = Duration(element, "timeout", owner, ownerId) ?? HttpTrigger.DefaultTimeout;
        if (timeout <= TimeSpan.Zero || timeout > HttpTrigger.MaxTimeout)
        {
            context.Error(ownerId, $"{Describe(owner)}: ops:http timeout must be longer than zero and at most {XmlConvert.ToString(HttpTrigger.MaxTimeout)} (a caller waits that long at most).", element);
            timeout = HttpTrigger.DefaultTimeout;
        }

        return new HttpTrigger
        {
            Method = method,
            Path = (string?)element.Attribute("path") ?? string.Empty,
            Auth = auth,
            SecretCredential = secret,
            SignatureHeader = header,
            AllowHeaders = allowed.Select(h => h.ToLowerInvariant()).Distinct().ToList(),
            Timeout = timeout,
        };
    }

    /// <summary><c>ops:httpReply status body</c>; null when absent.</summary>
    public HttpReply? HttpReply(XElement owner, string ownerId)
    {
        var element = OpsElement(owner, "httpReply");
        if (element is null) return null;
        var status = 200;
        if (element.Attribute("status") is { } statusAttribute
            && (!int.TryParse(statusAttribute.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out status) || status is < 200 or > 599))
        {
            context.Error(ownerId, $"{Describe(owner)}: ops:httpReply status \"{statusAttribute.Value}\" is not an HTTP status from 200 to 599.", element);
            status = 200;
        }

        return new HttpReply(status, (string?)element.Attribute("body"));
    }

    /// <summary><c>misfire="fireOnce|skip"</c> on <c>ops:cron</c>; fireOnce when absent.</summary>
    public MisfirePolicy Misfire(XElement element, XElement owner, string ownerId)
    {
        switch (NonEmpty((string?)element.Attribute("misfire")))
        {
            case null or "fireOnce":
                return MisfirePolicy.FireOnce;
            case "skip":
                return MisfirePolicy.Skip;
            case var other:
                context.Error(ownerId, $"{Describe(owner)}: ops:cron misfire \"{other}\" is neither fireOnce nor skip.", element);
                return MisfirePolicy.FireOnce;
        }
    }

    private static readonly string[] HookMethods = ["POST", "PUT", "PATCH", "DELETE", "GET"];

    private static bool IsHeaderNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

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
