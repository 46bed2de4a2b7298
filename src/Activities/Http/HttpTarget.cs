using System.Text.RegularExpressions;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Http;

/// <summary>Checks on what executors send over HTTP: addresses and header names.</summary>
public static partial class HttpTarget
{
    /// <summary>The absolute http or https address in <paramref name="text"/>; a clear error naming
    /// <paramref name="field"/> otherwise.</summary>
    public static Uri ParseUrl(string executorType, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new ExecutorInputException($"{executorType}: '{field}' is required.");
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri))
            throw new ExecutorInputException($"{executorType}: '{field}' is not an absolute URL: '{Excerpt(text, 80)}'.");
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw new ExecutorInputException($"{executorType}: '{field}' must be an http:// or https:// URL, not {uri.Scheme}://.");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            throw new ExecutorInputException($"{executorType}: '{field}' must not carry a user name or password; use a credential.");
        return uri;
    }

    /// <summary>Scheme, host, port and path: how an address appears in logs and messages. The query is
    /// left out because tokens travel there (DingTalk's access_token).</summary>
    public static string Describe(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    /// <summary>Whether <paramref name="name"/> is an RFC 9110 token, as a header name must be.</summary>
    public static bool IsHeaderName(string name) => HeaderName().IsMatch(name);

    /// <summary>Whether <paramref name="value"/> can be sent as a header value (no line breaks or NUL:
    /// they would split the header and let a value inject headers of its own).</summary>
    public static bool IsHeaderValue(string value) => !value.AsSpan().ContainsAny('\r', '\n', '\0');

    public static string Excerpt(string text, int maxChars)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= maxChars ? flat : flat[..maxChars] + "…";
    }

    [GeneratedRegex(@"^[!#$%&'*+.^_`|~0-9A-Za-z-]+\z")]
    private static partial Regex HeaderName();
}
