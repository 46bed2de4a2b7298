using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeOps.Activities.Credentials;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Cloud;

/// <summary>One call of a Tencent Cloud API 3.0 action.</summary>
public sealed record TencentCall(string Service, string Region, string Action, string Version, JsonObject? Parameters, Uri Endpoint);

/// <summary>Calls Tencent Cloud API 3.0: a JSON POST signed with TC3-HMAC-SHA256 (content-type, host and
/// x-tc-action signed). An error answer (<c>Response.Error.Code</c>) becomes a
/// <see cref="BpmnErrorException"/> coded <c>TENCENT_&lt;Code&gt;</c>; internal errors and rate limits
/// stay technical so the engine retries them.</summary>
public sealed class TencentCloudApi(CloudHttp http, TimeProvider clock)
{
    /// <summary>API versions used when a step names none.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownVersions = new Dictionary<string, string>
    {
        ["cvm"] = "2017-03-12",
        ["vpc"] = "2017-03-12",
        ["clb"] = "2018-03-17",
        ["cdb"] = "2017-03-20",
    };

    public static Uri DefaultEndpoint(string service) => new($"https://{service}.tencentcloudapi.com");

    /// <summary>Calls the API; the <c>Response</c> object of the answer.</summary>
    public async Task<JsonObject> CallAsync(string type, Credential credential, TencentCall call, CancellationToken cancellationToken)
    {
        credential = credential.Expect(CredentialKind.Tencent);
        var secretId = credential.Require("secretId");
        var secretKey = credential.Require("secretKey");
        var token = credential.Optional("token");

        var payload = Encoding.UTF8.GetBytes(call.Parameters?.ToJsonString() ?? "{}");
        CloudInputs.CheckSize(type, payload.Length, http.Options.MaxRequestBytes);

        const string contentType = "application/json; charset=utf-8";
        var host = call.Endpoint.Authority;
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        var signature = TencentTc3Signature.Sign(secretId, secretKey, call.Service,
            [new("Content-Type", contentType), new("Host", host), new("X-TC-Action", call.Action)], payload, timestamp);

        using var request = new HttpRequestMessage(HttpMethod.Post, call.Endpoint) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("X-TC-Action", call.Action);
        request.Headers.TryAddWithoutValidation("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("X-TC-Version", call.Version);
        request.Headers.TryAddWithoutValidation("X-TC-Region", call.Region);
        if (token is not null) request.Headers.TryAddWithoutValidation("X-TC-Token", token);
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);

        var what = $"Tencent Cloud {call.Service} {call.Action}";
        var answer = await http.SendAsync(request, what, cancellationToken).ConfigureAwait(false);
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(answer.Body) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body?["Response"] is not JsonObject response)
            throw new CloudApiException($"{what}: HTTP {(int)answer.Status} with an answer that has no Response object.");

        if (response["Error"] is JsonObject error)
        {
            var code = CloudJson.Text(error["Code"]) ?? "Unknown";
            var text = CloudInputs.Redact(
                $"{what} failed: {code}: {CloudJson.Text(error["Message"])} (HTTP {(int)answer.Status}, RequestId {CloudJson.Text(response["RequestId"]) ?? "none"})",
                credential);
            throw (int)answer.Status >= 500 || code.StartsWith("InternalError", StringComparison.Ordinal) || code.StartsWith("RequestLimitExceeded", StringComparison.Ordinal)
                ? new CloudApiException(text)
                : new BpmnErrorException("TENCENT_" + code, text);
        }

        if ((int)answer.Status >= 300)
            throw new CloudApiException($"{what}: HTTP {(int)answer.Status}.");
        body.Remove("Response");
        return response;
    }
}
