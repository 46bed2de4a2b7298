using System.Text.Json.Nodes;
using WeOps.Activities.Cloud;
using WeOps.Activities.Credentials;
using WeOps.Activities.Tests.Support;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Cloud;

/// <summary>The Tencent Cloud executors against a CVM emulation on loopback that checks every signature.</summary>
public sealed class TencentExecutorTests : IAsyncLifetime, IDisposable
{
    private readonly CloudHttp http = new(new CloudApiOptions(), TestOutbound.LoopbackAllowed);
    private readonly TimeProvider clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1551113065));
    private readonly InMemoryCredentialStore credentials = new InMemoryCredentialStore()
        .Add(new Credential("tencent-prod", CredentialKind.Tencent, new Dictionary<string, string>
        {
            ["secretId"] = CvmEmulator.SecretId,
            ["secretKey"] = CvmEmulator.SecretKey,
        }))
        .Add(new Credential("tencent-stale", CredentialKind.Tencent, new Dictionary<string, string>
        {
            ["secretId"] = CvmEmulator.SecretId,
            ["secretKey"] = "stale-secret-that-was-rotated-away",
        }));

    private CvmEmulator cvm = null!;

    public async Task InitializeAsync() => cvm = await CvmEmulator.StartAsync();

    public async Task DisposeAsync() => await cvm.DisposeAsync();

    public void Dispose() => http.Dispose();

    private JsonObject InstanceInputs(params string[] ids) => new()
    {
        ["instanceIds"] = new JsonArray([.. ids.Select(id => JsonValue.Create(id))]),
        ["region"] = CvmEmulator.Region,
        ["credential"] = "tencent-prod",
        ["endpoint"] = cvm.Endpoint.ToString(),
    };

    private JsonObject GenericInputs(string action, JsonObject? parameters = null, string credential = "tencent-prod") => new()
    {
        ["service"] = "cvm",
        ["region"] = CvmEmulator.Region,
        ["action"] = action,
        ["parameters"] = parameters,
        ["credential"] = credential,
        ["endpoint"] = cvm.Endpoint.ToString(),
    };

    [Fact]
    public async Task Stop_instances_sends_the_ids_and_stop_type_and_returns_the_request_id()
    {
        var inputs = InstanceInputs("ins-r8hr2upy", "ins-5d8a23rs");
        inputs["stopType"] = "softFirst";

        var output = await ExecutorRun.RunAsync(new TencentStopInstancesExecutor(credentials, http, clock), inputs);

        Assert.Equal(CvmEmulator.RequestId, (string?)output!["requestId"]);
        Assert.Equal(["ins-r8hr2upy", "ins-5d8a23rs"], output["instanceIds"]!.AsArray().Select(i => (string?)i));
        var (headers, body) = Assert.Single(cvm.Received);
        Assert.Equal("StopInstances", headers["X-TC-Action"]);
        Assert.Equal("1551113065", headers["X-TC-Timestamp"]);
        Assert.Equal("SOFT_FIRST", (string?)body!["StopType"]);
        Assert.Equal(["ins-r8hr2upy", "ins-5d8a23rs"], body["InstanceIds"]!.AsArray().Select(i => (string?)i));
        Assert.Contains("SignedHeaders=content-type;host;x-tc-action,", headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_and_reboot_call_their_actions()
    {
        await ExecutorRun.RunAsync(new TencentStartInstancesExecutor(credentials, http, clock), InstanceInputs("ins-1"));
        await ExecutorRun.RunAsync(new TencentRebootInstancesExecutor(credentials, http, clock), InstanceInputs("ins-1"));

        var requests = cvm.Received.ToList();
        Assert.Equal(["StartInstances", "RebootInstances"], requests.Select(r => r.Headers["X-TC-Action"]));
        Assert.Null(requests[0].Body!["StopType"]);
        Assert.Equal("SOFT", (string?)requests[1].Body!["StopType"]);
    }

    [Fact]
    public async Task Generic_call_posts_the_parameters_as_json_and_returns_the_response()
    {
        var parameters = new JsonObject
        {
            ["Limit"] = 1,
            ["Filters"] = new JsonArray(new JsonObject { ["Name"] = "instance-name", ["Values"] = new JsonArray("未命名") }),
        };

        var output = await ExecutorRun.RunAsync(new TencentExecutor(credentials, http, clock), GenericInputs("DescribeInstances", parameters));

        Assert.Equal("未命名", (string?)Assert.Single(cvm.Received).Body!["Filters"]![0]!["Values"]![0]);
        Assert.Equal("ins-r8hr2upy", (string?)output!["result"]!["InstanceSet"]![0]!["InstanceId"]);
        Assert.Equal(CvmEmulator.RequestId, (string?)output["requestId"]);
    }

    [Fact]
    public async Task A_wrong_secret_gives_the_signature_failure_code_and_the_message_holds_no_secret()
    {
        var error = await Assert.ThrowsAsync<BpmnErrorException>(() =>
            ExecutorRun.RunAsync(new TencentExecutor(credentials, http, clock), GenericInputs("DescribeInstances", credential: "tencent-stale")));

        Assert.Equal("TENCENT_AuthFailure.SignatureFailure", error.ErrorCode);
        Assert.Contains(CvmEmulator.RequestId, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("stale-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_instance_is_a_bpmn_error_with_the_tencent_code()
    {
        var error = await Assert.ThrowsAsync<BpmnErrorException>(() =>
            ExecutorRun.RunAsync(new TencentStopInstancesExecutor(credentials, http, clock), InstanceInputs("ins-missing")));
        Assert.Equal("TENCENT_InvalidInstanceId.NotFound", error.ErrorCode);
    }

    [Fact]
    public async Task An_internal_error_is_a_technical_failure_to_retry()
    {
        var error = await Assert.ThrowsAsync<CloudApiException>(() =>
            ExecutorRun.RunAsync(new TencentExecutor(credentials, http, clock), GenericInputs("Busy")));
        Assert.Contains("InternalError", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, JsonNode?, string> GarbageInputs() => new()
    {
        { "region", "ap guangzhou", "region" },
        { "service", "cvm.evil.com", "service" },
        { "action", "Stop\nInstances", "action" },
        { "parameters", new JsonObject { ["Bad&Name"] = "x" }, "Bad&Name" },
        { "parameters", new JsonObject { ["Payload"] = new string('x', 100_000) }, "bytes" },
    };

    [Theory]
    [MemberData(nameof(GarbageInputs))]
    public async Task Garbage_inputs_are_refused_before_anything_is_sent(string input, JsonNode? value, string named)
    {
        var inputs = GenericInputs("DescribeInstances");
        inputs[input] = value;

        var error = await Assert.ThrowsAsync<ExecutorInputException>(() => ExecutorRun.RunAsync(new TencentExecutor(credentials, http, clock), inputs));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, cvm.Requests);
    }

    [Fact]
    public async Task An_unknown_stop_type_is_refused()
    {
        var inputs = InstanceInputs("ins-1");
        inputs["stopType"] = "yank";
        var error = await Assert.ThrowsAsync<ExecutorInputException>(() => ExecutorRun.RunAsync(new TencentStopInstancesExecutor(credentials, http, clock), inputs));
        Assert.Contains("stopType", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, cvm.Requests);
    }

    [Fact]
    public void Descriptors_carry_the_contract_type_names()
    {
        Assert.Equal("cloud.tencent", new TencentExecutor(credentials, http, clock).Descriptor.Type);
        var stop = new TencentStopInstancesExecutor(credentials, http, clock).Descriptor;
        Assert.Equal("cloud.tencent.stopInstances", stop.Type);
        Assert.Equal(["soft", "hard", "softFirst"], stop.Input("stopType")!.Options);
        Assert.Equal("cloud.tencent.startInstances", new TencentStartInstancesExecutor(credentials, http, clock).Descriptor.Type);
        Assert.Equal("cloud.tencent.rebootInstances", new TencentRebootInstancesExecutor(credentials, http, clock).Descriptor.Type);
    }
}
