using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WeOps.Activities.Credentials;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Cloud;

/// <summary>Checks of the inputs the cloud executors share. Every value here ends up in a host name, a
/// signed string or a URL, so anything outside the providers' own alphabets is refused with a message
/// that names the input.</summary>
public static partial class CloudInputs
{
    private const int MaxParameters = 1000;

    public static string Region(string type, string? region)
    {
        if (region is null || !RegionPattern().IsMatch(region))
            throw new ExecutorInputException($"{type}: input 'region' must be a region name such as us-east-1 or cn-hangzhou, got {Show(region)}.");
        return region;
    }

    public static string Service(string type, string input, string? service)
    {
        if (service is null || !ServicePattern().IsMatch(service))
            throw new ExecutorInputException($"{type}: input '{input}' must be a service name such as ec2 (lower-case letters, digits, '-'), got {Show(service)}.");
        return service;
    }

    public static string Action(string type, string? action)
    {
        if (action is null || !ActionPattern().IsMatch(action))
            throw new ExecutorInputException($"{type}: input 'action' must be an API action name such as StopInstances, got {Show(action)}.");
        return action;
    }

    public static string Version(string type, string? version, string service, IReadOnlyDictionary<string, string> known)
    {
        if (string.IsNullOrWhiteSpace(version))
        {
            return known.TryGetValue(service, out var fallback)
                ? fallback
                : throw new ExecutorInputException($"{type}: input 'version' is required for service '{service}' (known defaults: {string.Join(", ", known.Select(k => $"{k.Key} {k.Value}"))}).");
        }

        if (!VersionPattern().IsMatch(version))
            throw new ExecutorInputException($"{type}: input 'version' must be an API version date such as 2016-11-15, got {Show(version)}.");
        return version;
    }

    /// <summary>The endpoint to call: the override when given (http or https, no path, query or user
    /// info), else <paramref name="fallback"/>.</summary>
    public static Uri Endpoint(string type, string? endpoint, string fallback)
    {
        var text = string.IsNullOrWhiteSpace(endpoint) ? fallback : endpoint.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.AbsolutePath != "/")
        {
            throw new ExecutorInputException($"{type}: input 'endpoint' must be an http(s) URL with no path or query, such as https://ec2.us-east-1.amazonaws.com, got {Show(text)}.");
        }

        return uri;
    }

    /// <summary>The instance ids of a ready-made instance action: at least one, each a plain id.</summary>
    public static IReadOnlyList<string> InstanceIds(string type, IReadOnlyList<string>? ids)
    {
        if (ids is null || ids.Count == 0)
            throw new ExecutorInputException($"{type}: input 'instanceIds' must list at least one instance id.");
        if (ids.Count > 100)
            throw new ExecutorInputException($"{type}: input 'instanceIds' lists {ids.Count} instances; at most 100 per step.");
        foreach (var id in ids)
        {
            if (id is null || !InstanceIdPattern().IsMatch(id))
                throw new ExecutorInputException($"{type}: input 'instanceIds' holds {Show(id)}, which is not an instance id.");
        }

        return ids;
    }

    /// <summary>Flattens a parameters object the way query-style cloud APIs take it: nested objects join
    /// names with '.', arrays number their items from 1 (<c>InstanceId.1</c>, <c>Filter.1.Value.1</c>).</summary>
    public static List<KeyValuePair<string, string>> Flatten(string type, JsonObject? parameters)
    {
        var flat = new List<KeyValuePair<string, string>>();
        if (parameters is null) return flat;
        foreach (var (name, value) in parameters)
            FlattenInto(type, flat, name, value);
        return flat;
    }

    private static void FlattenInto(string type, List<KeyValuePair<string, string>> flat, string name, JsonNode? value)
    {
        if (!ParameterNamePattern().IsMatch(name))
            throw new ExecutorInputException($"{type}: parameter name {Show(name)} may hold only letters, digits, '.', '_' and '-'.");
        if (flat.Count >= MaxParameters)
            throw new ExecutorInputException($"{type}: input 'parameters' flattens to more than {MaxParameters} values.");
        switch (value)
        {
            case null:
                return;
            case JsonObject child:
                foreach (var (key, item) in child)
                    FlattenInto(type, flat, name + "." + key, item);
                return;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                    FlattenInto(type, flat, name + "." + (i + 1).ToString(CultureInfo.InvariantCulture), items[i]);
                return;
            default:
                flat.Add(new(name, Scalar(value)));
                return;
        }
    }

    private static string Scalar(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    /// <summary>Refuses a parameter that an executor input already sets, so the two cannot disagree.</summary>
    public static void RejectReserved(string type, IEnumerable<KeyValuePair<string, string>> parameters, params string[] reserved)
    {
        foreach (var (name, _) in parameters)
        {
            if (reserved.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new ExecutorInputException($"{type}: parameter '{name}' is set by the executor itself; remove it from 'parameters'.");
        }
    }

    public static void CheckSize(string type, int bytes, int limit)
    {
        if (bytes > limit)
            throw new ExecutorInputException($"{type}: the request would be {bytes} bytes, more than the {limit} allowed; send fewer or smaller parameters.");
    }

    /// <summary>Removes credential values from text that came back from a provider, should it echo one.</summary>
    public static string Redact(string text, Credential credential)
    {
        foreach (var secret in credential.Values.Values)
        {
            if (secret.Length >= 8)
                text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private static string Show(string? value)
    {
        if (value is null) return "nothing";
        var shown = value.Length > 60 ? value[..60] + "…" : value;
        return JsonSerializer.Serialize(shown, ShowOptions);
    }

    // Quoted and escaped as JSON so control characters stay visible, but '&', '<' and quotes as typed.
    private static readonly JsonSerializerOptions ShowOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex(@"^[a-z]{2,}(-[a-z0-9]+){1,4}\z")]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,39}\z")]
    private static partial Regex ServicePattern();

    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]{0,99}\z")]
    private static partial Regex ActionPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}\z")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}\z")]
    private static partial Regex ParameterNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\z")]
    private static partial Regex InstanceIdPattern();
}
