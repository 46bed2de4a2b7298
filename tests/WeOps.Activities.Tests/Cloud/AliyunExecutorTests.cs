using System.Text.Json.Nodes;
using WeOps.Activities.Cloud;
using WeOps.Activities.Credentials;
using WeOps.Activities.Tests.Support;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Cloud;

/// <summary>The Alibaba Cloud executors against an ECS emulation on loopback that checks every signature.</summary>
public sealed class AliyunExecutorTests : IAsyncLifetime, IDisposable
{
    private readonly CloudHttp http = new(new CloudApiOptions(), TestOutbound.LoopbackAllowed);
    private readonly TimeProvider clock = new FixedClock(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly InMemoryCredentialStore credentials = new();
    private EcsEmulator ecs = null!;

    public AliyunExecutorTests()
    {
        foreach (var (id, secret) in EcsEmulator.Secrets)
            credentials.Add(new Credential(id, CredentialKind.Aliyun, new Dictionary<string, string> { ["accessKeyId"] = id, ["accessKeySecret"] = secret }));
        credentials.Add(new Credential("stale", CredentialKind.Aliyun, new Dictionary<string, string>
        {
            ["accessKeyId"] = "LTAI-operator",
            ["accessKeySecret"] = "stale-secret-that-was-rotated-away",
        }));
    }

    public async Task InitializeAsync() => ecs = await EcsEmulator.StartAsync();

    public async Task DisposeAsync() => await ecs.DisposeAsync();

    public void Dispose() => http.Dispose();

    private JsonObject InstanceInputs(string credential, params string[] ids) => new()
    {
        ["instanceIds"] = new JsonArray([.. ids.Select(id => JsonValue.Create(id))]),
        ["region"] = EcsEmulator.Region,
        ["credential"] = credential,
        ["endpoint"] = ecs.Endpoint.ToString(),
    };

    private JsonObject GenericInputs(string action, JsonObject? parameters = null, string credential = "LTAI-operator") => new()
    {
        ["product"] = "ecs",
        ["region"] = EcsEmulator.Region,
        ["action"] = action,
        ["parameters"] = parameters,
        ["credential"] = credential,
        ["endpoint"] = ecs.Endpoint.ToString(),
    };

    [Fact]
    public async Task Stop_instances_returns_each_instance_with_its_state_change()
    {
        var output = await ExecutorRun.RunAsync(new AliyunStopInstancesExecutor(credentials, http, clock), InstanceInputs("LTAI-operator", "i-bp1", "i-bp2"));

        var instances = output!["instances"]!.AsArray();
        Assert.Equal(["i-bp1", "i-bp2"], instances.Select(i => (string?)i!["instanceId"]));
        Assert.Equal("Running", (string?)instances[0]!["previousState"]);
        Assert.Equal("Stopping", (string?)instances[0]!["currentState"]);
        Assert.Equal(EcsEmulator.RequestId, (string?)output["requestId"]);
        var query = Assert.Single(ecs.Received);
        Assert.Equal("StopInstances", query["Action"]);
        Assert.Equal("2014-05-26", query["Version"]);
        Assert.Equal("JSON", query["Format"]);
        Assert.Equal(EcsEmulator.Region, query["RegionId"]);
        Assert.Equal("false", query["ForceStop"]);
        Assert.Equal("2024-01-02T03:04:05Z", query["Timestamp"]);
    }

    [Fact]
    public async Task Start_and_forced_reboot_call_their_actions()
    {
        await ExecutorRun.RunAsync(new AliyunStartInstancesExecutor(credentials, http, clock), InstanceInputs("LTAI-operator", "i-bp1"));
        var reboot = InstanceInputs("LTAI-operator", "i-bp1");
        reboot["force"] = true;
        await ExecutorRun.RunAsync(new AliyunRebootInstancesExecutor(credentials, http, clock), reboot);

        var requests = ecs.Received.ToList();
        Assert.Equal(["StartInstances", "RebootInstances"], requests.Select(r => r["Action"]));
        Assert.Equal("true", requests[1]["ForceReboot"]);
    }

    [Fact]
    public async Task Every_request_gets_a_fresh_nonce()
    {
        for (var i = 0; i < 3; i++)
            await ExecutorRun.RunAsync(new AliyunExecutor(credentials, http, clock), GenericInputs("DescribeRegions"));
        Assert.Equal(3, ecs.Received.Select(r => r["SignatureNonce"]).Distinct().Count());
    }

    [Fact]
    public async Task Generic_call_signs_utf8_and_reserved_characters_and_returns_the_json()
    {
        var parameters = new JsonObject { ["Tag"] = new JsonArray(new JsonObject { ["Key"] = "名称", ["Value"] = "a b*c~(d)&e=f/+" }) };

        var output = await ExecutorRun.RunAsync(new AliyunExecutor(credentials, http, clock), GenericInputs("DescribeRegions", parameters));

        Assert.Equal("名称", Assert.Single(ecs.Received)["Tag.1.Key"]);
        Assert.Equal("a b*c~(d)&e=f/+", Assert.Single(ecs.Received)["Tag.1.Value"]);
        Assert.Equal(EcsEmulator.Region, (string?)output!["result"]!["Regions"]!["Region"]![0]!["RegionId"]);
        Assert.Equal(EcsEmulator.RequestId, (string?)output["requestId"]);
    }

    [Fact]
    public async Task Ram_denial_is_a_bpmn_error_with_the_aliyun_code()
    {
        var error = await Assert.ThrowsAsync<BpmnErrorException>(() =>
            ExecutorRun.RunAsync(new AliyunStopInstancesExecutor(credentials, http, clock), InstanceInputs("LTAI-readonly", "i-bp1")));

        Assert.Equal("ALIYUN_Forbidden.RAM", error.ErrorCode);
        Assert.Contains(EcsEmulator.RequestId, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_instance_is_a_bpmn_error_with_the_aliyun_code()
    {
        var error = await Assert.ThrowsAsync<BpmnErrorException>(() =>
            ExecutorRun.RunAsync(new AliyunStopInstancesExecutor(credentials, http, clock), InstanceInputs("LTAI-operator", "i-missing")));
        Assert.Equal("ALIYUN_InvalidInstanceId.NotFound", error.ErrorCode);
    }

    [Fact]
    public async Task A_failure_of_one_instance_inside_a_200_answer_is_raised_with_its_code()
    {
        var error = await Assert.ThrowsAsync<BpmnErrorException>(() =>
            ExecutorRun.RunAsync(new AliyunStopInstancesExecutor(credentials, http, clock), InstanceInputs("LTAI-operator", "i-bp1", "i-locked")));
        Assert.Equal("ALIYUN_IncorrectInstanceStatus", error.ErrorCode);
        Assert.Contains("i-locked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_by_the_signature_check_and_the_message_holds_no_secret()
    {
        var error = await Assert.ThrowsAsync<BpmnErrorException>(() =>
            ExecutorRun.RunAsync(new AliyunExecutor(credentials, http, clock), GenericInputs("DescribeRegions", credential: "stale")));

        Assert.Equal("ALIYUN_IncompleteSignature", error.ErrorCode);
        Assert.DoesNotContain("stale-secret", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, JsonNode?, string> GarbageInputs() => new()
    {
        { "region", "cn hangzhou", "region" },
        { "region", "cn-hangzhou.evil.com/x", "region" },
        { "product", "ecs.evil", "product" },
        { "action", "Stop&Signature=x", "action" },
        { "parameters", new JsonObject { ["Bad&Name"] = "x" }, "Bad&Name" },
        { "parameters", new JsonObject { ["Signature"] = "forged" }, "Signature" },
        { "parameters", new JsonObject { ["Description"] = new string('x', 100_000) }, "bytes" },
    };

    [Theory]
    [MemberData(nameof(GarbageInputs))]
    public async Task Garbage_inputs_are_refused_before_anything_is_sent(string input, JsonNode? value, string named)
    {
        var inputs = GenericInputs("DescribeRegions");
        inputs[input] = value;

        var error = await Assert.ThrowsAsync<ExecutorInputException>(() => ExecutorRun.RunAsync(new AliyunExecutor(credentials, http, clock), inputs));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, ecs.Requests);
    }

    [Fact]
    public async Task A_product_without_a_known_version_needs_one()
    {
        var inputs = GenericInputs("DescribeThings");
        inputs["product"] = "unknownproduct";
        var error = await Assert.ThrowsAsync<ExecutorInputException>(() => ExecutorRun.RunAsync(new AliyunExecutor(credentials, http, clock), inputs));
        Assert.Contains("'version'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Descriptors_carry_the_contract_type_names()
    {
        Assert.Equal("cloud.aliyun", new AliyunExecutor(credentials, http, clock).Descriptor.Type);
        Assert.Equal("cloud.aliyun.stopInstances", new AliyunStopInstancesExecutor(credentials, http, clock).Descriptor.Type);
        Assert.Equal("cloud.aliyun.startInstances", new AliyunStartInstancesExecutor(credentials, http, clock).Descriptor.Type);
        Assert.Equal("cloud.aliyun.rebootInstances", new AliyunRebootInstancesExecutor(credentials, http, clock).Descriptor.Type);
        Assert.Null(new AliyunStartInstancesExecutor(credentials, http, clock).Descriptor.Input("force"));
    }
}
