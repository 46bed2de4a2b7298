using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WeOps.Activities.Credentials;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Cloud;

/// <summary>Inputs of the ready-made ECS instance actions.</summary>
public record AliyunInstancesInputs
{
    [Input(Description = "ECS instance ids, such as [\"i-bp67acfmxazb4p****\"].", Required = true, UiHint = "json", DescriptionZh = "ECS 实例 ID，例如 [\"i-bp67acfmxazb4p****\"]。")]
    public List<string>? InstanceIds { get; init; }

    [Input(Description = "Region, such as cn-hangzhou.", Required = true, DescriptionZh = "地域，例如 cn-hangzhou。")]
    public string? Region { get; init; }

    [Input(Description = "An 'aliyun' credential: accessKeyId, accessKeySecret, optional securityToken.", Required = true, UiHint = "credential", DescriptionZh = "'aliyun' 凭据：accessKeyId、accessKeySecret，可选 securityToken。")]
    public string? Credential { get; init; }

    [Input(Description = "Endpoint URL overriding https://ecs.{region}.aliyuncs.com.", DescriptionZh = "覆盖 https://ecs.{region}.aliyuncs.com 的接入地址。")]
    public string? Endpoint { get; init; }
}

/// <summary>Inputs of the ECS actions that can be forced (stop, reboot).</summary>
public sealed record AliyunForcibleInstancesInputs : AliyunInstancesInputs
{
    [Input(Description = "Force it, as pulling the power: unsaved data in the instance's memory is lost.", Default = "false", DescriptionZh = "强制执行，相当于断电：实例内存中未保存的数据会丢失。")]
    public bool Force { get; init; }
}

/// <summary>What the ECS instance actions share: one batch call, instances listed with their states.
/// A per-instance failure inside a successful answer is raised like a whole-call error.</summary>
public abstract class AliyunInstancesExecutor<TInputs>(ICredentialStore credentials, CloudHttp http, TimeProvider clock) : Executor<TInputs>
    where TInputs : AliyunInstancesInputs
{
    private readonly AliyunRpcApi api = new(http, clock);

    protected async Task<JsonObject> CallEcsAsync(TInputs inputs, string action, IEnumerable<KeyValuePair<string, string>> extra, ExecutorContext context, CancellationToken cancellationToken)
    {
        var type = Descriptor.Type;
        var ids = CloudInputs.InstanceIds(type, inputs.InstanceIds);
        var region = CloudInputs.Region(type, inputs.Region);
        var endpoint = CloudInputs.Endpoint(type, inputs.Endpoint, AliyunRpcApi.DefaultEndpoint("ecs", region).ToString());
        List<KeyValuePair<string, string>> parameters =
            [.. ids.Select((id, i) => new KeyValuePair<string, string>("InstanceId." + (i + 1).ToString(CultureInfo.InvariantCulture), id)), .. extra];

        var credential = await credentials.GetAsync(inputs.Credential!, cancellationToken).ConfigureAwait(false);
        context.Logger.LogInformation("{Type}: {Action} {Instances} in {Region}", type, action, string.Join(",", ids), region);
        var answer = await api.CallAsync(type, credential,
            new AliyunCall("ecs", region, action, AliyunRpcApi.KnownVersions["ecs"], parameters, endpoint), cancellationToken).ConfigureAwait(false);

        var requestId = CloudJson.Text(answer["RequestId"]);
        var instances = new JsonArray();
        foreach (var item in CloudJson.Items(answer["InstanceResponses"]?["InstanceResponse"]))
        {
            var code = CloudJson.Text(item["Code"]);
            var instanceId = CloudJson.Text(item["InstanceId"]);
            if (code is not null && code != "200")
            {
                throw new BpmnErrorException("ALIYUN_" + code,
                    $"Alibaba Cloud ecs {action} failed for {instanceId}: {code}: {CloudJson.Text(item["Message"])} (RequestId {requestId})");
            }

            instances.Add(new JsonObject
            {
                ["instanceId"] = instanceId,
                ["previousState"] = CloudJson.Text(item["PreviousStatus"]),
                ["currentState"] = CloudJson.Text(item["CurrentStatus"]),
            });
        }

        return new JsonObject { ["instances"] = instances, ["requestId"] = requestId };
    }
}

/// <summary>Stops ECS instances.</summary>
[Executor("cloud.aliyun.stopInstances", DisplayName = "Alibaba Cloud: stop ECS instances", Category = "Cloud",
    DisplayNameZh = "阿里云：停止 ECS 实例", Summary = "Stops Alibaba Cloud ECS instances.",
    SummaryZh = "停止阿里云 ECS 实例。",
    DescriptionZh = "停止 ECS 实例（StopInstances）。错误以 ALIYUN_<Code> 形式的 BPMN 错误抛出，例如 ALIYUN_Forbidden.RAM。",
    Description = "Stops ECS instances (StopInstances). Errors are raised as BPMN errors coded ALIYUN_<Code>, such as ALIYUN_Forbidden.RAM.")]
[Output("instances", Type = "array", Description = "One entry per instance: instanceId, previousState, currentState.")]
[Output("requestId", Type = "string")]
public sealed class AliyunStopInstancesExecutor(ICredentialStore credentials, CloudHttp http, TimeProvider clock)
    : AliyunInstancesExecutor<AliyunForcibleInstancesInputs>(credentials, http, clock)
{
    protected override async Task<JsonNode?> ExecuteAsync(AliyunForcibleInstancesInputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        await CallEcsAsync(inputs, "StopInstances", [new("ForceStop", inputs.Force ? "true" : "false")], context, cancellationToken).ConfigureAwait(false);
}

/// <summary>Starts ECS instances.</summary>
[Executor("cloud.aliyun.startInstances", DisplayName = "Alibaba Cloud: start ECS instances", Category = "Cloud",
    DisplayNameZh = "阿里云：启动 ECS 实例", Summary = "Starts stopped Alibaba Cloud ECS instances.",
    SummaryZh = "启动已停止的阿里云 ECS 实例。",
    DescriptionZh = "启动 ECS 实例（StartInstances）。错误以 ALIYUN_<Code> 形式的 BPMN 错误抛出。",
    Description = "Starts ECS instances (StartInstances). Errors are raised as BPMN errors coded ALIYUN_<Code>.")]
[Output("instances", Type = "array", Description = "One entry per instance: instanceId, previousState, currentState.")]
[Output("requestId", Type = "string")]
public sealed class AliyunStartInstancesExecutor(ICredentialStore credentials, CloudHttp http, TimeProvider clock)
    : AliyunInstancesExecutor<AliyunInstancesInputs>(credentials, http, clock)
{
    protected override async Task<JsonNode?> ExecuteAsync(AliyunInstancesInputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        await CallEcsAsync(inputs, "StartInstances", [], context, cancellationToken).ConfigureAwait(false);
}

/// <summary>Reboots ECS instances.</summary>
[Executor("cloud.aliyun.rebootInstances", DisplayName = "Alibaba Cloud: reboot ECS instances", Category = "Cloud",
    DisplayNameZh = "阿里云：重启 ECS 实例", Summary = "Reboots Alibaba Cloud ECS instances.",
    SummaryZh = "重启阿里云 ECS 实例。",
    DescriptionZh = "重启 ECS 实例（RebootInstances）。错误以 ALIYUN_<Code> 形式的 BPMN 错误抛出。",
    Description = "Reboots ECS instances (RebootInstances). Errors are raised as BPMN errors coded ALIYUN_<Code>.")]
[Output("instances", Type = "array", Description = "One entry per instance: instanceId, previousState, currentState.")]
[Output("requestId", Type = "string")]
public sealed class AliyunRebootInstancesExecutor(ICredentialStore credentials, CloudHttp http, TimeProvider clock)
    : AliyunInstancesExecutor<AliyunForcibleInstancesInputs>(credentials, http, clock)
{
    protected override async Task<JsonNode?> ExecuteAsync(AliyunForcibleInstancesInputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        await CallEcsAsync(inputs, "RebootInstances", [new("ForceReboot", inputs.Force ? "true" : "false")], context, cancellationToken).ConfigureAwait(false);
}
