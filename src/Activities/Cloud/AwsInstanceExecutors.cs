using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WeOps.Activities.Credentials;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Cloud;

/// <summary>Inputs of the ready-made EC2 instance actions.</summary>
public record AwsInstancesInputs
{
    [Input(Description = "EC2 instance ids, such as [\"i-0abc123\"].", Required = true, UiHint = "json", DescriptionZh = "EC2 实例 ID，例如 [\"i-0abc123\"]。")]
    public List<string>? InstanceIds { get; init; }

    [Input(Description = "Region, such as us-east-1.", Required = true, DescriptionZh = "地域，例如 us-east-1。")]
    public string? Region { get; init; }

    [Input(Description = "An 'aws' credential: accessKeyId, secretAccessKey, optional sessionToken.", Required = true, UiHint = "credential", DescriptionZh = "'aws' 凭据：accessKeyId、secretAccessKey，可选 sessionToken。")]
    public string? Credential { get; init; }

    [Input(Description = "Endpoint URL overriding https://ec2.{region}.amazonaws.com.", DescriptionZh = "覆盖 https://ec2.{region}.amazonaws.com 的接入地址。")]
    public string? Endpoint { get; init; }
}

/// <summary>Inputs of <c>cloud.aws.stopInstances</c>.</summary>
public sealed record AwsStopInstancesInputs : AwsInstancesInputs
{
    [Input(Description = "Force the stop (no orderly shutdown; the instance gets no chance to flush caches).", Default = "false", DescriptionZh = "强制停止（不做有序关机，实例没有机会刷新缓存）。")]
    public bool Force { get; init; }
}

/// <summary>What the EC2 instance actions share: one EC2 call, instances listed with their states.</summary>
public abstract class AwsInstancesExecutor<TInputs>(ICredentialStore credentials, CloudHttp http, TimeProvider clock) : Executor<TInputs>
    where TInputs : AwsInstancesInputs
{
    private readonly AwsQueryApi api = new(http, clock);

    protected async Task<JsonObject> CallEc2Async(TInputs inputs, string action, IEnumerable<KeyValuePair<string, string>> extra, ExecutorContext context, CancellationToken cancellationToken)
    {
        var type = Descriptor.Type;
        var ids = CloudInputs.InstanceIds(type, inputs.InstanceIds);
        var region = CloudInputs.Region(type, inputs.Region);
        var endpoint = CloudInputs.Endpoint(type, inputs.Endpoint, AwsQueryApi.DefaultEndpoint("ec2", region).ToString());
        List<KeyValuePair<string, string>> parameters =
            [.. ids.Select((id, i) => new KeyValuePair<string, string>("InstanceId." + (i + 1).ToString(CultureInfo.InvariantCulture), id)), .. extra];

        var credential = await credentials.GetAsync(inputs.Credential!, cancellationToken).ConfigureAwait(false);
        context.Logger.LogInformation("{Type}: {Action} {Instances} in {Region}", type, action, string.Join(",", ids), region);
        var answer = await api.CallAsync(type, credential,
            new AwsCall("ec2", region, action, AwsQueryApi.KnownVersions["ec2"], parameters, endpoint), cancellationToken).ConfigureAwait(false);

        var instances = new JsonArray();
        foreach (var item in CloudJson.Items(answer["instancesSet"]))
        {
            instances.Add(new JsonObject
            {
                ["instanceId"] = CloudJson.Text(item["instanceId"]),
                ["previousState"] = CloudJson.Text(item["previousState"]?["name"]),
                ["currentState"] = CloudJson.Text(item["currentState"]?["name"]),
            });
        }

        return new JsonObject { ["instances"] = instances, ["requestId"] = CloudJson.Text(answer["requestId"]) };
    }
}

/// <summary>Stops EC2 instances.</summary>
[Executor("cloud.aws.stopInstances", DisplayName = "AWS: stop EC2 instances", Category = "Cloud",
    DisplayNameZh = "AWS：停止 EC2 实例", Summary = "Stops EC2 instances.",
    SummaryZh = "停止 EC2 实例。",
    DescriptionZh = "停止 EC2 实例（StopInstances）。AWS 错误以 AWS_<Code> 形式的 BPMN 错误抛出，例如 AWS_InvalidInstanceID.NotFound。",
    Description = "Stops EC2 instances (StopInstances). AWS errors are raised as BPMN errors coded AWS_<Code>, such as AWS_InvalidInstanceID.NotFound.")]
[Output("instances", Type = "array", Description = "One entry per instance: instanceId, previousState, currentState.")]
[Output("requestId", Type = "string")]
public sealed class AwsStopInstancesExecutor(ICredentialStore credentials, CloudHttp http, TimeProvider clock)
    : AwsInstancesExecutor<AwsStopInstancesInputs>(credentials, http, clock)
{
    protected override async Task<JsonNode?> ExecuteAsync(AwsStopInstancesInputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        await CallEc2Async(inputs, "StopInstances", inputs.Force ? [new("Force", "true")] : [], context, cancellationToken).ConfigureAwait(false);
}

/// <summary>Starts EC2 instances.</summary>
[Executor("cloud.aws.startInstances", DisplayName = "AWS: start EC2 instances", Category = "Cloud",
    DisplayNameZh = "AWS：启动 EC2 实例", Summary = "Starts stopped EC2 instances.",
    SummaryZh = "启动已停止的 EC2 实例。",
    DescriptionZh = "启动 EC2 实例（StartInstances）。AWS 错误以 AWS_<Code> 形式的 BPMN 错误抛出。",
    Description = "Starts EC2 instances (StartInstances). AWS errors are raised as BPMN errors coded AWS_<Code>.")]
[Output("instances", Type = "array", Description = "One entry per instance: instanceId, previousState, currentState.")]
[Output("requestId", Type = "string")]
public sealed class AwsStartInstancesExecutor(ICredentialStore credentials, CloudHttp http, TimeProvider clock)
    : AwsInstancesExecutor<AwsInstancesInputs>(credentials, http, clock)
{
    protected override async Task<JsonNode?> ExecuteAsync(AwsInstancesInputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        await CallEc2Async(inputs, "StartInstances", [], context, cancellationToken).ConfigureAwait(false);
}

/// <summary>Reboots EC2 instances.</summary>
[Executor("cloud.aws.rebootInstances", DisplayName = "AWS: reboot EC2 instances", Category = "Cloud",
    DisplayNameZh = "AWS：重启 EC2 实例", Summary = "Reboots EC2 instances.",
    SummaryZh = "重启 EC2 实例。",
    DescriptionZh = "重启 EC2 实例（RebootInstances）。AWS 错误以 AWS_<Code> 形式的 BPMN 错误抛出。",
    Description = "Reboots EC2 instances (RebootInstances). AWS errors are raised as BPMN errors coded AWS_<Code>.")]
[Output("instances", Type = "array", Description = "Empty: EC2 answers a reboot with no per-instance state.")]
[Output("requestId", Type = "string")]
public sealed class AwsRebootInstancesExecutor(ICredentialStore credentials, CloudHttp http, TimeProvider clock)
    : AwsInstancesExecutor<AwsInstancesInputs>(credentials, http, clock)
{
    protected override async Task<JsonNode?> ExecuteAsync(AwsInstancesInputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        await CallEc2Async(inputs, "RebootInstances", [], context, cancellationToken).ConfigureAwait(false);
}
