using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using WeOps.Activities.Credentials;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Cloud;

/// <summary>One call of an AWS Query-protocol API (EC2, IAM, STS, Auto Scaling, ...).</summary>
public sealed record AwsCall(string Service, string Region, string Action, string Version, IReadOnlyList<KeyValuePair<string, string>> Parameters, Uri Endpoint);

/// <summary>Calls AWS Query-protocol APIs: a form POST signed with SigV4, the XML answer turned into
/// JSON. An AWS error answer becomes a <see cref="BpmnErrorException"/> coded <c>AWS_&lt;Code&gt;</c>;
/// throttling and server errors stay technical so the engine retries them.</summary>
public sealed class AwsQueryApi(CloudHttp http, TimeProvider clock)
{
    /// <summary>API versions used when a step names none.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownVersions = new Dictionary<string, string>
    {
        ["ec2"] = "2016-11-15",
        ["iam"] = "2010-05-08",
        ["sts"] = "2011-06-15",
        ["autoscaling"] = "2011-01-01",
        ["elasticloadbalancing"] = "2015-12-01",
        ["rds"] = "2014-10-31",
        ["monitoring"] = "2010-08-01",
    };

    private static readonly HashSet<string> RetryableCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "RequestLimitExceeded", "ServiceUnavailable", "Unavailable", "InternalError", "InternalFailure",
    };

    public static Uri DefaultEndpoint(string service, string region) => new($"https://{service}.{region}.amazonaws.com");

    /// <summary>Calls the API; the answer's root element as JSON (<c>requestId</c> included).</summary>
    public async Task<JsonObject> CallAsync(string type, Credential credential, AwsCall call, CancellationToken cancellationToken)
    {
        credential = credential.Expect(CredentialKind.Aws);
        var accessKeyId = credential.Require("accessKeyId");
        var secret = credential.Require("secretAccessKey");
        var token = credential.Optional("sessionToken");

        List<KeyValuePair<string, string>> form = [new("Action", call.Action), new("Version", call.Version), .. call.Parameters];
        var body = Encoding.UTF8.GetBytes(string.Join('&', form.Select(p => UriEncoding.Encode(p.Key) + "=" + UriEncoding.Encode(p.Value))));
        CloudInputs.CheckSize(type, body.Length, http.Options.MaxRequestBytes);

        var time = clock.GetUtcNow();
        const string contentType = "application/x-www-form-urlencoded; charset=utf-8";
        List<KeyValuePair<string, string>> headers =
        [
            new("Content-Type", contentType),
            new("Host", call.Endpoint.Authority),
            new("X-Amz-Date", AwsSigV4.AmzDate(time)),
        ];
        if (token is not null) headers.Add(new("X-Amz-Security-Token", token));
        var signature = AwsSigV4.Sign(new AwsRequestToSign("POST", "/", [], headers, body), accessKeyId, secret, call.Region, call.Service, time);

        using var request = new HttpRequestMessage(HttpMethod.Post, call.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Host = call.Endpoint.Authority;
        request.Headers.TryAddWithoutValidation("X-Amz-Date", AwsSigV4.AmzDate(time));
        if (token is not null) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);

        var what = $"AWS {call.Service} {call.Action}";
        var response = await http.SendAsync(request, what, cancellationToken).ConfigureAwait(false);
        var root = ParseXml(response.Body);

        if (response.Status is < HttpStatusCode.OK or >= HttpStatusCode.MultipleChoices)
            throw Failure(what, response, root, credential);
        if (root is null)
            throw new CloudApiException($"{what}: the answer is not XML (HTTP {(int)response.Status}).");
        var json = ToJson(root);
        return json as JsonObject ?? new JsonObject { ["value"] = json };
    }

    private static Exception Failure(string what, CloudResponse response, XElement? root, Credential credential)
    {
        var error = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
        var code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
        if (string.IsNullOrEmpty(code))
            return new CloudApiException($"{what}: HTTP {(int)response.Status} with an answer that is not an AWS error.");

        var message = error!.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? "";
        var requestId = root!.Descendants().FirstOrDefault(e => e.Name.LocalName is "RequestID" or "RequestId")?.Value ?? "none";
        var text = CloudInputs.Redact($"{what} failed: {code}: {message} (HTTP {(int)response.Status}, RequestId {requestId})", credential);
        return (int)response.Status >= 500 || RetryableCodes.Contains(code)
            ? new CloudApiException(text)
            : new BpmnErrorException("AWS_" + code, text);
    }

    private static XElement? ParseXml(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(body), settings);
            return XElement.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>XML to JSON the way the Query APIs shape their answers: a leaf is a string, an element
    /// whose children are all <c>item</c> or <c>member</c> is an array, repeated names become arrays,
    /// an empty <c>...Set</c> is an empty array.</summary>
    public static JsonNode ToJson(XElement element)
    {
        var children = element.Elements().ToList();
        if (children.Count == 0)
        {
            return element.Name.LocalName.EndsWith("Set", StringComparison.Ordinal) && element.Value.Length == 0
                ? new JsonArray()
                : JsonValue.Create(element.Value);
        }

        if (children.All(c => c.Name.LocalName is "item" or "member"))
            return new JsonArray([.. children.Select(ToJson)]);

        var result = new JsonObject();
        foreach (var group in children.GroupBy(c => c.Name.LocalName))
        {
            var items = group.ToList();
            result[group.Key] = items.Count == 1 ? ToJson(items[0]) : new JsonArray([.. items.Select(ToJson)]);
        }

        return result;
    }
}
