using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WeOps.Activities.Credentials;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Cloud;

/// <summary>Calls any Alibaba Cloud RPC-style action (ECS, VPC, SLB, ...), signed with HMAC-SHA1.</summary>
[Executor("cloud.aliyun", DisplayName = "Alibaba Cloud API call", Category = "Cloud",
    DisplayNameZh = "阿里云 API 调用", Summary = "Calls any Alibaba Cloud RPC API action with your parameters.",
    SummaryZh = "用给定参数调用任意阿里云 RPC API 操作。",
    DescriptionZh = "用给定参数调用阿里云 RPC API 操作（例如 ECS StopInstances）；错误以 ALIYUN_<Code> 形式的 BPMN 错误抛出。",
    Description = "Calls an Alibaba Cloud RPC API action (such as ECS StopInstances) with the given parameters; errors are raised as BPMN errors coded ALIYUN_<Code>.")]
[Output("result", Type = "object", Description = "The JSON answer.")]
[Output("requestId", Type = "string", Description = "Alibaba Cloud's request id.")]
public sealed class AliyunExecutor(ICredentialStore credentials, CloudHttp http, TimeProvider clock) : Executor<AliyunExecutor.Inputs>
{
    private const string Type = "cloud.aliyun";
    private readonly AliyunRpcApi api = new(http, clock);

    public sealed record Inputs
    {
        [Input(Description = "Product code, such as ecs, vpc, slb.", Default = "ecs", DescriptionZh = "产品代码，例如 ecs、vpc、slb。")]
        public string? Product { get; init; }

        [Input(Description = "Region, such as cn-hangzhou; sent as RegionId unless the parameters name one.", Required = true, DescriptionZh = "地域，例如 cn-hangzhou；除非参数中已指定，否则作为 RegionId 发送。")]
        public string? Region { get; init; }

        [Input(Description = "API action, such as DescribeInstances or StopInstances.", Required = true, DescriptionZh = "API 操作，例如 DescribeInstances 或 StopInstances。")]
        public string? Action { get; init; }

        [Input(Description = "API version; defaults per product (ecs 2014-05-26, vpc 2016-04-28, ...).", DescriptionZh = "API 版本；按产品有默认值（ecs 2014-05-26、vpc 2016-04-28……）。")]
        public string? Version { get; init; }

        [Input(Description = "Action parameters as an object; arrays become Name.1, Name.2 and nested objects Name.Key.", UiHint = "json", DescriptionZh = "操作参数对象；数组展开为 Name.1、Name.2，嵌套对象展开为 Name.Key。")]
        public JsonObject? Parameters { get; init; }

        [Input(Description = "An 'aliyun' credential: accessKeyId, accessKeySecret, optional securityToken.", Required = true, UiHint = "credential", DescriptionZh = "'aliyun' 凭据：accessKeyId、accessKeySecret，可选 securityToken。")]
        public string? Credential { get; init; }

        [Input(Description = "Endpoint URL overriding https://{product}.{region}.aliyuncs.com.", DescriptionZh = "覆盖 https://{product}.{region}.aliyuncs.com 的接入地址。")]
        public string? Endpoint { get; init; }
    }

    protected override async Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken)
    {
        var product = CloudInputs.Service(Type, "product", string.IsNullOrWhiteSpace(inputs.Product) ? "ecs" : inputs.Product);
        var region = CloudInputs.Region(Type, inputs.Region);
        var action = CloudInputs.Action(Type, inputs.Action);
        var version = CloudInputs.Version(Type, inputs.Version, product, AliyunRpcApi.KnownVersions);
        var endpoint = CloudInputs.Endpoint(Type, inputs.Endpoint, AliyunRpcApi.DefaultEndpoint(product, region).ToString());
        var parameters = CloudInputs.Flatten(Type, inputs.Parameters);
        CloudInputs.RejectReserved(Type, parameters, "Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion",
            "SignatureNonce", "Timestamp", "Signature", "SecurityToken");

        var credential = await credentials.GetAsync(inputs.Credential!, cancellationToken).ConfigureAwait(false);
        context.Logger.LogInformation("{Type}: {Product} {Action} in {Region} at {Endpoint}", Type, product, action, region, endpoint.Authority);
        var answer = await api.CallAsync(Type, credential, new AliyunCall(product, region, action, version, parameters, endpoint), cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["result"] = answer, ["requestId"] = CloudJson.Text(answer["RequestId"]) };
    }
}
