using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WeOps.Activities.Credentials;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Cloud;

/// <summary>How CVM stops an instance: <c>soft</c> shuts down in order, <c>hard</c> cuts power,
/// <c>softFirst</c> cuts power only when the orderly shutdown fails.</summary>
public enum TencentStopType
{
    Soft,
    Hard,
    SoftFirst,
}

/// <summary>Inputs of the ready-made CVM instance actions.</summary>
public record TencentInstancesInputs
{
    [Input(Description = "CVM instance ids, such as [\"ins-r8hr2upy\"].", Required = true, UiHint = "json")]
    public List<string>? InstanceIds { get; init; }

    [Input(Description = "Region, such as ap-guangzhou.", Required = true)]
    public string? Region { get; init; }

    [Input(Description = "A 'tencent' credential: secretId, secretKey, optional token.", Required = true, UiHint = "credential")]
    public string? Credential { get; init; }

    [Input(Description = "Endpoint URL overriding https://cvm.tencentcloudapi.com.")]
    public string? Endpoint { get; init; }
}

/// <summary>Inputs of the CVM actions that shut an instance down (stop, reboot).</summary>
public sealed record TencentStoppingInstancesInputs : TencentInstancesInputs
{
    [Input(Description = "soft: orderly shutdown; hard: cut power; softFirst: cut power if the orderly shutdown fails.", Default = "soft")]
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
    Description = "Reboots CVM instances (RebootInstances). Errors are raised as BPMN errors coded TENCENT_<Code>.")]
[Output("instanceIds", Type = "array", Description = "The instances the request was accepted for.")]
[Output("requestId", Type = "string")]
public sealed class TencentRebootInstancesExecutor(ICredentialStore credentials, CloudHttp http, TimeProvider clock)
    : TencentInstancesExecutor<TencentStoppingInstancesInputs>(credentials, http, clock)
{
    protected override async Task<JsonNode?> ExecuteAsync(TencentStoppingInstancesInputs inputs, ExecutorContext context, CancellationToken cancellationToken) =>
        await CallCvmAsync(inputs, "RebootInstances", inputs.StopType, context, cancellationToken).ConfigureAwait(false);
}
