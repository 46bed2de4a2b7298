using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WeOps.Activities.Credentials;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Cloud;

/// <summary>Calls any Tencent Cloud API 3.0 action, signed with TC3-HMAC-SHA256.</summary>
[Executor("cloud.tencent", DisplayName = "Tencent Cloud API call", Category = "Cloud",
    DisplayNameZh = "腾讯云 API 调用", Summary = "Calls any Tencent Cloud API 3.0 action with a JSON body.",
    SummaryZh = "用 JSON 请求体调用任意腾讯云 API 3.0 操作。",
    DescriptionZh = "用 JSON 请求体调用腾讯云 API 3.0 操作（例如 CVM StopInstances）；错误以 TENCENT_<Code> 形式的 BPMN 错误抛出。",
    Description = "Calls a Tencent Cloud API 3.0 action (such as CVM StopInstances) with a JSON body; errors are raised as BPMN errors coded TENCENT_<Code>.")]
[Output("result", Type = "object", Description = "The answer's Response object.")]
[Output("requestId", Type = "string", Description = "Tencent Cloud's request id.")]
public sealed class TencentExecutor(ICredentialStore credentials, CloudHttp http, TimeProvider clock) : Executor<TencentExecutor.Inputs>
{
    private const string Type = "cloud.tencent";
    private readonly TencentCloudApi api = new(http, clock);

    public sealed record Inputs
    {
        [Input(Description = "Service, such as cvm, vpc, clb.", Default = "cvm", DescriptionZh = "服务，例如 cvm、vpc、clb。")]
        public string? Service { get; init; }

        [Input(Description = "Region, such as ap-guangzhou.", Required = true, DescriptionZh = "地域，例如 ap-guangzhou。")]
        public string? Region { get; init; }

        [Input(Description = "API action, such as DescribeInstances or StopInstances.", Required = true, DescriptionZh = "API 操作，例如 DescribeInstances 或 StopInstances。")]
        public string? Action { get; init; }

        [Input(Description = "API version; defaults per service (cvm 2017-03-12, ...).", DescriptionZh = "API 版本；按服务有默认值（cvm 2017-03-12……）。")]
        public string? Version { get; init; }

        [Input(Description = "The request body, as the action's documentation gives it, such as {\"InstanceIds\": [\"ins-1\"]}.", UiHint = "json", DescriptionZh = "请求体，按该操作文档给出，例如 {\"InstanceIds\": [\"ins-1\"]}。")]
        public JsonObject? Parameters { get; init; }

        [Input(Description = "A 'tencent' credential: secretId, secretKey, optional token.", Required = true, UiHint = "credential", DescriptionZh = "'tencent' 凭据：secretId、secretKey，可选 token。")]
        public string? Credential { get; init; }

        [Input(Description = "Endpoint URL overriding https://{service}.tencentcloudapi.com.", DescriptionZh = "覆盖 https://{service}.tencentcloudapi.com 的接入地址。")]
        public string? Endpoint { get; init; }
    }

    protected override async Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken)
    {
        var service = CloudInputs.Service(Type, "service", string.IsNullOrWhiteSpace(inputs.Service) ? "cvm" : inputs.Service);
        var region = CloudInputs.Region(Type, inputs.Region);
        var action = CloudInputs.Action(Type, inputs.Action);
        var version = CloudInputs.Version(Type, inputs.Version, service, TencentCloudApi.KnownVersions);
        var endpoint = CloudInputs.Endpoint(Type, inputs.Endpoint, TencentCloudApi.DefaultEndpoint(service).ToString());
        // The body goes as JSON, but its names must still be plain: flattening checks them and counts the values.
        CloudInputs.Flatten(Type, inputs.Parameters);

        var credential = await credentials.GetAsync(inputs.Credential!, cancellationToken).ConfigureAwait(false);
        context.Logger.LogInformation("{Type}: {Service} {Action} in {Region} at {Endpoint}", Type, service, action, region, endpoint.Authority);
        var response = await api.CallAsync(Type, credential, new TencentCall(service, region, action, version, inputs.Parameters, endpoint), cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["result"] = response, ["requestId"] = CloudJson.Text(response["RequestId"]) };
    }
}
