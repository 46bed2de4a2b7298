using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WeOps.Activities.Credentials;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Cloud;

/// <summary>Calls any AWS Query-protocol action (EC2, IAM, STS, ...), signed with Signature Version 4.</summary>
[Executor("cloud.aws", DisplayName = "AWS API call", Category = "Cloud",
    DisplayNameZh = "AWS API 调用", Summary = "Calls any AWS Query API action with your parameters.",
    SummaryZh = "用给定参数调用任意 AWS Query API 操作。",
    DescriptionZh = "用给定参数调用 AWS Query API 操作（例如 EC2 StopInstances）；AWS 错误以 AWS_<Code> 形式的 BPMN 错误抛出。",
    Description = "Calls an AWS Query API action (such as EC2 StopInstances) with the given parameters; AWS errors are raised as BPMN errors coded AWS_<Code>.")]
[Output("result", Type = "object", Description = "The answer, XML turned into JSON (lists of item/member become arrays).")]
[Output("requestId", Type = "string", Description = "AWS's request id.")]
public sealed class AwsExecutor(ICredentialStore credentials, CloudHttp http, TimeProvider clock) : Executor<AwsExecutor.Inputs>
{
    private const string Type = "cloud.aws";
    private readonly AwsQueryApi api = new(http, clock);

    public sealed record Inputs
    {
        [Input(Description = "AWS service endpoint prefix, such as ec2, iam, sts, autoscaling.", Default = "ec2", DescriptionZh = "AWS 服务接入前缀，例如 ec2、iam、sts、autoscaling。")]
        public string? Service { get; init; }

        [Input(Description = "Region, such as us-east-1.", Required = true, DescriptionZh = "地域，例如 us-east-1。")]
        public string? Region { get; init; }

        [Input(Description = "API action, such as DescribeInstances or StopInstances.", Required = true, DescriptionZh = "API 操作，例如 DescribeInstances 或 StopInstances。")]
        public string? Action { get; init; }

        [Input(Description = "API version; defaults per service (ec2 2016-11-15, iam 2010-05-08, sts 2011-06-15, ...).", DescriptionZh = "API 版本；按服务有默认值（ec2 2016-11-15、iam 2010-05-08、sts 2011-06-15……）。")]
        public string? Version { get; init; }

        [Input(Description = "Action parameters as an object; arrays become Name.1, Name.2 and nested objects Name.Key, as the Query protocol wants.", UiHint = "json", DescriptionZh = "操作参数对象；按 Query 协议，数组展开为 Name.1、Name.2，嵌套对象展开为 Name.Key。")]
        public JsonObject? Parameters { get; init; }

        [Input(Description = "An 'aws' credential: accessKeyId, secretAccessKey, optional sessionToken.", Required = true, UiHint = "credential", DescriptionZh = "'aws' 凭据：accessKeyId、secretAccessKey，可选 sessionToken。")]
        public string? Credential { get; init; }

        [Input(Description = "Endpoint URL overriding https://{service}.{region}.amazonaws.com (VPC endpoints, compatible clouds).", DescriptionZh = "覆盖 https://{service}.{region}.amazonaws.com 的接入地址（VPC 终端节点、兼容云）。")]
        public string? Endpoint { get; init; }
    }

    protected override async Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken)
    {
        var service = CloudInputs.Service(Type, "service", string.IsNullOrWhiteSpace(inputs.Service) ? "ec2" : inputs.Service);
        var region = CloudInputs.Region(Type, inputs.Region);
        var action = CloudInputs.Action(Type, inputs.Action);
        var version = CloudInputs.Version(Type, inputs.Version, service, AwsQueryApi.KnownVersions);
        var endpoint = CloudInputs.Endpoint(Type, inputs.Endpoint, AwsQueryApi.DefaultEndpoint(service, region).ToString());
        var parameters = CloudInputs.Flatten(Type, inputs.Parameters);
        CloudInputs.RejectReserved(Type, parameters, "Action", "Version");

        var credential = await credentials.GetAsync(inputs.Credential!, cancellationToken).ConfigureAwait(false);
        context.Logger.LogInformation("{Type}: {Service} {Action} in {Region} at {Endpoint}", Type, service, action, region, endpoint.Authority);
        var answer = await api.CallAsync(Type, credential, new AwsCall(service, region, action, version, parameters, endpoint), cancellationToken).ConfigureAwait(false);

        var requestId = CloudJson.Text(answer["requestId"]) ?? CloudJson.Text(answer["ResponseMetadata"]?["RequestId"]);
        return new JsonObject { ["result"] = answer, ["requestId"] = requestId };
    }
}
