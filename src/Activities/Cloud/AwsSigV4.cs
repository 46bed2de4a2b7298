using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WeOps.Activities.Cloud;

/// <summary>An HTTP request as AWS Signature Version 4 sees it. <paramref name="Path"/> is the decoded
/// path; <paramref name="Query"/> holds decoded names and values; <paramref name="Headers"/> lists every
/// header to sign (Host and X-Amz-Date included), repeated names allowed.</summary>
public sealed record AwsRequestToSign(
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Payload);

/// <summary>Each stage of a SigV4 signature, so that a mismatch can be located.</summary>
public sealed record AwsSignature(string CanonicalRequest, string StringToSign, string SignedHeaders, string Signature, string Authorization);

/// <summary>AWS Signature Version 4 (header form), as specified in the AWS General Reference and checked
/// against AWS's published test suite.</summary>
public static class AwsSigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The <c>X-Amz-Date</c> form of <paramref name="time"/>: <c>20150830T123600Z</c>.</summary>
    public static string AmzDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static AwsSignature Sign(AwsRequestToSign request, string accessKeyId, string secretAccessKey, string region, string service, DateTimeOffset time)
    {
        var (canonicalHeaders, signedHeaders) = CanonicalHeaders(request.Headers);
        var canonicalRequest = string.Join('\n',
            request.Method.ToUpperInvariant(),
            CanonicalUri(request.Path),
            CanonicalQuery(request.Query),
            canonicalHeaders,
            signedHeaders,
            Hex(SHA256.HashData(request.Payload)));

        var date = time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n', Algorithm, AmzDate(time), scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = SigningKey(secretAccessKey, date, region, service);
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = $"{Algorithm} Credential={accessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new AwsSignature(canonicalRequest, stringToSign, signedHeaders, signature, authorization);
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    /// <summary>The path with empty and dot segments removed (RFC 3986 section 5.2.4), each segment
    /// URI-encoded; a trailing slash is kept.</summary>
    public static string CanonicalUri(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(UriEncoding.Encode(segment));
        }

        var canonical = "/" + string.Join('/', segments);
        return segments.Count > 0 && path.EndsWith('/') ? canonical + "/" : canonical;
    }

    /// <summary>Names and values URI-encoded, sorted by name then value (byte order).</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query) =>
        string.Join('&', query
            .Select(p => (Name: UriEncoding.Encode(p.Key), Value: UriEncoding.Encode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

    /// <summary>Lower-case names sorted, values trimmed with inner runs of spaces collapsed, repeated
    /// headers joined with ',' in the order they came.</summary>
    public static (string Canonical, string Signed) CanonicalHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var byName = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var key = name.Trim().ToLowerInvariant();
            if (!byName.TryGetValue(key, out var values)) byName[key] = values = [];
            values.Add(CollapseSpaces(value));
        }

        var canonical = new StringBuilder();
        foreach (var (name, values) in byName)
            canonical.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        return (canonical.ToString(), string.Join(';', byName.Keys));
    }

    private static string CollapseSpaces(string value)
    {
        var text = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c is ' ' or '\t')
            {
                space = true;
                continue;
            }

            if (space) text.Append(' ');
            space = false;
            text.Append(c);
        }

        return text.ToString();
    }

    internal static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
