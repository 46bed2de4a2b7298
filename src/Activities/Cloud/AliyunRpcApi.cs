using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Activities.Credentials;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Cloud;

/// <summary>One call of an Alibaba Cloud RPC-style API (ECS, VPC, SLB, ...).</summary>
public sealed record AliyunCall(string Product, string Region, string Action, string Version, IReadOnlyList<KeyValuePair<string, string>> Parameters, Uri Endpoint);

/// <summary>Calls Alibaba Cloud RPC APIs: a GET whose query carries the common parameters and an
/// HMAC-SHA1 signature, answered in JSON. An error answer (<c>{Code, Message, RequestId}</c>) becomes a
/// <see cref="BpmnErrorException"/> coded <c>ALIYUN_&lt;Code&gt;</c>; throttling and server errors stay
/// technical so the engine retries them.</summary>
public sealed class AliyunRpcApi(CloudHttp http, TimeProvider clock)
{
    /// <summary>API versions used when a step names none.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownVersions = new Dictionary<string, string>
    {
        ["ecs"] = "2014-05-26",
        ["vpc"] = "2016-04-28",
        ["slb"] = "2014-05-15",
        ["rds"] = "2014-08-15",
    };

    public static Uri DefaultEndpoint(string product, string region) => new($"https://{product}.{region}.aliyuncs.com");

    /// <summary>Calls the API; the JSON answer.</summary>
    public async Task<JsonObject> CallAsync(string type, Credential credential, AliyunCall call, CancellationToken cancellationToken)
    {
        credential = credential.Expect(CredentialKind.Aliyun);
        var accessKeyId = credential.Require("accessKeyId");
        var secret = credential.Require("accessKeySecret");
        var token = credential.Optional("securityToken");

        List<KeyValuePair<string, string>> query =
        [
            new("Action", call.Action),
            new("Version", call.Version),
            new("Format", "JSON"),
            new("AccessKeyId", accessKeyId),
            new("SignatureMethod", "HMAC-SHA1"),
            new("SignatureVersion", "1.0"),
            new("SignatureNonce", RandomNumberGenerator.GetHexString(32, lowercase: true)),
            new("Timestamp", clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        ];
        if (token is not null) query.Add(new("SecurityToken", token));
        if (!call.Parameters.Any(p => p.Key == "RegionId")) query.Add(new("RegionId", call.Region));
        query.AddRange(call.Parameters);

        var signature = AliyunRpcSignature.Sign(AliyunRpcSignature.StringToSign("GET", query), secret);
        query.Add(new("Signature", signature));
        var queryString = string.Join('&', query.Select(p => UriEncoding.Encode(p.Key) + "=" + UriEncoding.Encode(p.Value)));
        CloudInputs.CheckSize(type, queryString.Length, http.Options.MaxRequestBytes);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(call.Endpoint, "/?" + queryString));
        var what = $"Alibaba Cloud {call.Product} {call.Action}";
        var response = await http.SendAsync(request, what, cancellationToken).ConfigureAwait(false);
        var body = ParseJson(response.Body);

        var failed = response.Status is < HttpStatusCode.OK or >= HttpStatusCode.MultipleChoices;
        if (failed || (body is not null && CloudJson.Text(body["Code"]) is not null && IsErrorShape(body)))
            throw Failure(what, response, body, credential);
        return body ?? throw new CloudApiException($"{what}: the answer is not a JSON object (HTTP {(int)response.Status}).");
    }

    // A 200 answer that is nothing but an error record: {RequestId, HostId, Code, Message, Recommend}.
    private static bool IsErrorShape(JsonObject body) =>
        body.Select(p => p.Key).All(k => k is "RequestId" or "HostId" or "Code" or "Message" or "Recommend");

    private static Exception Failure(string what, CloudResponse response, JsonObject? body, Credential credential)
    {
        var code = CloudJson.Text(body?["Code"]);
        if (string.IsNullOrEmpty(code))
            return new CloudApiException($"{what}: HTTP {(int)response.Status} with an answer that is not an Alibaba Cloud error.");
        var message = CloudJson.Text(body!["Message"]) ?? "";
        var requestId = CloudJson.Text(body["RequestId"]) ?? "none";
        var text = CloudInputs.Redact($"{what} failed: {code}: {message} (HTTP {(int)response.Status}, RequestId {requestId})", credential);
        return (int)response.Status >= 500 || code.StartsWith("Throttling", StringComparison.Ordinal) || code.StartsWith("ServiceUnavailable", StringComparison.Ordinal)
            ? new CloudApiException(text)
            : new BpmnErrorException("ALIYUN_" + code, text);
    }

    private static JsonObject? ParseJson(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
