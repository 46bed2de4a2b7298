using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WeOps.Activities.Credentials;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Cloud;

/// <summary>How CVM stops an instance: <c>soft</c> shuts down in order, <c>hard</c> cuts power,
/// <c>softFirst</c> cuts power only when the orderly shutdown fails.</summary>
public enum TencentStopType
{
    [OptionLabel("Orderly shutdown", "有序关机")]
    Soft,

    [OptionLabel("Cut power", "直接断电")]
    Hard,

    [OptionLabel("Orderly, else cut power", "先有序关机，失败再断电")]
    SoftFirst,
}

/// <summary>Inputs of the ready-made CVM instance actions.</summary>
public record TencentInstancesInputs
{
    [Input(Description = "CVM instance ids, such as [\"ins-r8hr2upy\"].", Required = true, UiHint = "json", DescriptionZh = "CVM 实例 ID，例如 [\"ins-r8hr2upy\"]。")]
    public List<string>? InstanceIds { get; init; }

    [Input(Description = "Region, such as ap-guangzhou.", Required = true, DescriptionZh = "地域，例如 ap-guangzhou。")]
    public string? Region { get; init; }

    [Input(Description = "A 'tencent' credential: secretId, secretKey, optional token.", Required = true, UiHint = "credential", DescriptionZh = "'tencent' 凭据：secretId、secretKey，可选 token。")]
    public string? Credential { get; init; }

    [Input(Description = "Endpoint URL overriding https://cvm.tencentcloudapi.com.", DescriptionZh = "覆盖 https://cvm.tencentcloudapi.com 的接入地址。")]
    public string? Endpoint { get; init; }
}

/// <summary>Inputs of the CVM actions that shut an instance down (stop, reboot).</summary>
public sealed record TencentStoppingInstancesInputs : TencentInstancesInputs
{
    [Input(Description = "soft: orderly shutdown; hard: cut power; softFirst: cut power if the orderly shutdown fails.", Default = "soft", DescriptionZh = "soft：有序关机；hard：直接断电；softFirst：有序关机失败时再断电。")]
    public TencentStopType StopType { get; init; } = TencentStopType.Soft;
}

/// <summary>What the CVM instance actions share: one call naming the instances.</summary>
public abstract class TencentInstancesExecutor<TInputs>(ICredentialStore credentials, CloudHttp http, TimeProvider clock) : Executor<TInputs>
    where TInputs : TencentInstancesInputs
{
    private readonly TencentCloudApi api = new(http, clock);

    protected async Task<JsonObject> CallCvmAsync(TInputs inputs, string action, TencentStopType? stopType, ExecutorContext context, CancellationToken cancellationToken)
    {
        var type = Descriptor.Type;
        var ids = CloudInputs.InstanceIds(type, inputs.InstanceIds);
        var region = CloudInputs.Region(type, inputs.Region);
        var endpoint = CloudInputs.Endpoint(type, inputs.Endpoint, TencentCloudApi.DefaultEndpoint("cvm").ToString());
        var body = new JsonObject { ["InstanceIds"] = new JsonArray([.. ids.Select(id => JsonValue.Create(id))]) };
        if (stopType is { } stop)
        {
            body["StopType"] = stop switch
            {
                TencentStopType.Hard => "HARD",
                TencentStopType.SoftFirst => "SOFT_FIRST",
                _ => "SOFT",
            };
        }

        var credential = await credentials.GetAsync(inputs.Credential!, cancellationToken).ConfigureAwait(false);
        context.Logger.LogInformation("{Type}: {Action} {Instances} in {Region}", type, action, string.Join(",", ids), region);
        var response = await api.CallAsync(type, credential,
            new TencentCall("cvm", region, action, TencentCloudApi.KnownVersions["cvm"], body, endpoint), cancellationToken).ConfigureAwait(false);
        return new JsonObject
        {
            ["instanceIds"] = new JsonArray([.. ids.Select(id => JsonValue.Create(id))]),
            ["requestId"] = CloudJson.Text(response["RequestId"]),
        };
    }
}

/// <summary>Stops CVM instances.</summary>
[Executor("cloud.tencent.stopInstances", DisplayName = "Tencent Cloud: stop CVM instances", Category = "Cloud",
    DisplayNameZh = "腾讯云：停止 CVM 实例", Summary = "Stops Tencent Cloud CVM instances.",
    SummaryZh = "停止腾讯云 CVM 实例。",
    DescriptionZh = "停止 CVM 实例（StopInstances）。错误以 TENCENT_<Code> 形式的 BPMN 错误抛出，例如 TENCENT_InvalidInstanceId.NotFound。",
    Description = "Stops CVM instances (StopInstances). Errors are raised as BPMN errors coded TENCENT_<Code>, such as TENCENT_InvalidInstanceId.NotFound.")]
[Output("instanceIds", Type = "array", Description = "The instances the request was accepted for.")]
[Output("requestId", Type = "string")]
public sealed class TencentStopInstancesExecutor(ICredentialStore credentials, CloudHttp http, TimeProvider clock)
    : TencentInstancesExecutor<TencentStoppingInstancesInputs>(credentials, http, clock)
{
    protected override async Task<JsonNode?> ExecuteAsync(TencentStoppingInstancesInputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        await CallCvmAsync(inputs, "StopInstances", inputs.StopType, context, cancellationToken).ConfigureAwait(false);
}

/// <summary>Starts CVM instances.</summary>
[Executor("cloud.tencent.startInstances", DisplayName = "Tencent Cloud: start CVM instances", Category = "Cloud",
    DisplayNameZh = "腾讯云：启动 CVM 实例", Summary = "Starts stopped Tencent Cloud CVM instances.",
    SummaryZh = "启动已停止的腾讯云 CVM 实例。",
    DescriptionZh = "启动 CVM 实例（StartInstances）。错误以 TENCENT_<Code> 形式的 BPMN 错误抛出。",
    Description = "Starts CVM instances (StartInstances). Errors are raised as BPMN errors coded TENCENT_<Code>.")]
[Output("instanceIds", Type = "array", Description = "The instances the request was accepted for.")]
[Output("requestId", Type = "string")]
public sealed class TencentStartInstancesExecutor(ICredentialStore credentials, CloudHttp http, TimeProvider clock)
    : TencentInstancesExecutor<TencentInstancesInputs>(credentials, http, clock)
{
    protected override async Task<JsonNode?> ExecuteAsync(TencentInstancesInputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        await CallCvmAsync(inputs, "StartInstances", null, context, cancellationToken).ConfigureAwait(false);
}

/// <summary>Reboots CVM instances.</summary>
[Executor("cloud.tencent.rebootInstances", DisplayName = "Tencent Cloud: reboot CVM instances", Category = "Cloud",
    DisplayNameZh = "腾讯云：重启 CVM 实例", Summary = "Reboots Tencent Cloud CVM instances.",
    SummaryZh = "重启腾讯云 CVM 实例。",
    DescriptionZh = "重启 CVM 实例（RebootInstances）。错误以 TENCENT_<Code> 形式的 BPMN 错误抛出。",
    Description = "Reboots CVM instances (RebootInstances). Errors are raised as BPMN errors coded TENCENT_<Code>.")]
[Output("instanceIds", Type = "array", Description = "The instances the request was accepted for.")]
[Output("requestId", Type = "string")]
public sealed class TencentRebootInstancesExecutor(ICredentialStore credentials, CloudHttp http, TimeProvider clock)
    : TencentInstancesExecutor<TencentStoppingInstancesInputs>(credentials, http, clock)
{
    protected override async Task<JsonNode?> ExecuteAsync(TencentStoppingInstancesInputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        await CallCvmAsync(inputs, "RebootInstances", inputs.StopType, context, cancellationToken).ConfigureAwait(false);
}
