using System.Text.RegularExpressions;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Kubernetes;

/// <summary>Checks the names that go into API paths, so a bad input fails with a message instead of
/// reaching (or escaping) a path.</summary>
public static partial class KubernetesNames
{
    /// <summary>An object name: a DNS subdomain (RFC 1123), at most 253 characters.</summary>
    public static string Object(string value, string input)
    {
        if (value.Length > 253 || !Subdomain().IsMatch(value))
            throw new ExecutorInputException($"input '{input}': '{Shorten(value)}' is not a Kubernetes name (lower-case letters, digits, '-' and '.', at most 253).");
        return value;
    }

    /// <summary>A namespace or container name: a DNS label (RFC 1123), at most 63 characters.</summary>
    public static string Label(string value, string input)
    {
        if (value.Length > 63 || !DnsLabel().IsMatch(value))
            throw new ExecutorInputException($"input '{input}': '{Shorten(value)}' is not a valid name (lower-case letters, digits and '-', at most 63).");
        return value;
    }

    /// <summary>Whether <paramref name="apiVersion"/> is <c>version</c> or <c>group/version</c>, the group a DNS
    /// subdomain and the version a DNS label: nothing else may become a discovery path (<c>../v1</c> would leave
    /// <c>/apis</c>).</summary>
    public static bool IsApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? (null, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return version.Length <= 63 && DnsLabel().IsMatch(version) && (group is null || (group.Length <= 253 && Subdomain().IsMatch(group)));
    }

    private static string Shorten(string value) => value.Length > 60 ? value[..60] + "…" : value;

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z")]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex DnsLabel();
}
