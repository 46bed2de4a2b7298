using System.Diagnostics;
using System.Text.Json.Nodes;
using WeOps.Activities.Cloud;
using WeOps.Activities.Credentials;
using WeOps.Activities.Tests.Support;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Cloud;

/// <summary>The AWS executors against an EC2 emulation on loopback that checks every signature.</summary>
public sealed class AwsExecutorTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Now = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly CloudHttp http = new(new CloudApiOptions(), TestOutbound.LoopbackAllowed);
    private readonly InMemoryCredentialStore credentials = new InMemoryCredentialStore()
        .Add(new Credential("aws-prod", CredentialKind.Aws, new Dictionary<string, string>
        {
            ["accessKeyId"] = Ec2Emulator.AccessKeyId,
            ["secretAccessKey"] = Ec2Emulator.Secret,
        }))
        .Add(new Credential("aws-temporary", CredentialKind.Aws, new Dictionary<string, string>
        {
            ["accessKeyId"] = Ec2Emulator.AccessKeyId,
            ["secretAccessKey"] = Ec2Emulator.Secret,
            ["sessionToken"] = "FwoGZXIvYXdzEXAMPLETOKEN//+=",
        }))
        .Add(new Credential("aws-stale", CredentialKind.Aws, new Dictionary<string, string>
        {
            ["accessKeyId"] = Ec2Emulator.AccessKeyId,
            ["secretAccessKey"] = "stale-secret-that-was-rotated-away",
        }))
        .Add(new Credential("aliyun-prod", CredentialKind.Aliyun, new Dictionary<string, string>
        {
            ["accessKeyId"] = "LTAI",
            ["accessKeySecret"] = "secret",
        }));

    private Ec2Emulator ec2 = null!;

    public async Task InitializeAsync() => ec2 = await Ec2Emulator.StartAsync();

    public async Task DisposeAsync() => await ec2.DisposeAsync();

    public void Dispose() => http.Dispose();

    private TimeProvider Clock { get; } = new FixedClock(Now);

    private JsonObject InstanceInputs(params string[] ids) => new()
    {
        ["instanceIds"] = new JsonArray([.. ids.Select(id => JsonValue.Create(id))]),
        ["region"] = Ec2Emulator.Region,
        ["credential"] = "aws-prod",
        ["endpoint"] = ec2.Endpoint.ToString(),
    };

    private JsonObject GenericInputs(string action, JsonObject? parameters = null, string credential = "aws-prod") => new()
    {
        ["service"] = "ec2",
        ["region"] = Ec2Emulator.Region,
        ["action"] = action,
        ["parameters"] = parameters,
        ["credential"] = credential,
        ["endpoint"] = ec2.Endpoint.ToString(),
    };

    [Fact]
    public async Task Stop_instances_returns_each_instance_with_its_state_change()
    {
        var output = await ExecutorRun.RunAsync(new AwsStopInstancesExecutor(credentials, http, Clock), InstanceInputs("i-1234567890abcdef0", "i-0b22a22eec53b9321"));

        var instances = output!["instances"]!.AsArray();
        Assert.Equal(2, instances.Count);
        Assert.Equal("i-1234567890abcdef0", (string?)instances[0]!["instanceId"]);
        Assert.Equal("running", (string?)instances[0]!["previousState"]);
        Assert.Equal("stopping", (string?)instances[0]!["currentState"]);
        Assert.Equal("i-0b22a22eec53b9321", (string?)instances[1]!["instanceId"]);
        Assert.Equal("59dbff89-35bd-4eac-99ed-be587EXAMPLE", (string?)output["requestId"]);
        var (form, _) = Assert.Single(ec2.Received);
        Assert.Equal("i-1234567890abcdef0", form["InstanceId.1"]);
        Assert.Equal("i-0b22a22eec53b9321", form["InstanceId.2"]);
        Assert.False(form.ContainsKey("Force"));
    }

    [Fact]
    public async Task Forced_stop_sends_force()
    {
        var inputs = InstanceInputs("i-1");
        inputs["force"] = true;
        await ExecutorRun.RunAsync(new AwsStopInstancesExecutor(credentials, http, Clock), inputs);
        Assert.Equal("true", Assert.Single(ec2.Received).Form["Force"]);
    }

    [Fact]
    public async Task Start_and_reboot_call_their_actions()
    {
        var started = await ExecutorRun.RunAsync(new AwsStartInstancesExecutor(credentials, http, Clock), InstanceInputs("i-1"));
        Assert.Equal("pending", (string?)started!["instances"]![0]!["currentState"]);

        var rebooted = await ExecutorRun.RunAsync(new AwsRebootInstancesExecutor(credentials, http, Clock), InstanceInputs("i-1"));
        Assert.Empty(rebooted!["instances"]!.AsArray());
        Assert.Equal(["StartInstances", "RebootInstances"], ec2.Received.Select(r => r.Form["Action"]));
    }

    [Fact]
    public async Task Signing_time_comes_from_the_clock()
    {
        await ExecutorRun.RunAsync(new AwsStartInstancesExecutor(credentials, http, Clock), InstanceInputs("i-1"));
        var (_, headers) = Assert.Single(ec2.Received);
        Assert.Equal("20240102T030405Z", headers["X-Amz-Date"]);
        Assert.Contains("/20240102/eu-west-1/ec2/aws4_request", headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generic_call_flattens_arrays_and_objects_the_query_way_and_turns_xml_into_json()
    {
        var parameters = new JsonObject
        {
            ["InstanceId"] = new JsonArray("i-1", "i-2"),
            ["Filter"] = new JsonArray(new JsonObject { ["Name"] = "instance-state-name", ["Value"] = new JsonArray("running", "stopped") }),
            ["MaxResults"] = 5,
            ["DryRun"] = false,
            ["Note"] = "a b*c~(d)&e=f/ü",
        };

        var output = await ExecutorRun.RunAsync(new AwsExecutor(credentials, http, Clock), GenericInputs("DescribeInstances", parameters));

        var (form, _) = Assert.Single(ec2.Received);
        Assert.Equal("i-2", form["InstanceId.2"]);
        Assert.Equal("instance-state-name", form["Filter.1.Name"]);
        Assert.Equal("stopped", form["Filter.1.Value.2"]);
        Assert.Equal("5", form["MaxResults"]);
        Assert.Equal("false", form["DryRun"]);
        Assert.Equal("a b*c~(d)&e=f/ü", form["Note"]);
        var instances = output!["result"]!["reservationSet"]![0]!["instancesSet"]!.AsArray();
        Assert.Equal("i-2", (string?)instances[1]!["instanceId"]);
        Assert.Equal("running", (string?)instances[0]!["instanceState"]!["name"]);
        Assert.Empty(instances[0]!["tagSet"]!.AsArray());
        Assert.Equal("59dbff89-35bd-4eac-99ed-be587EXAMPLE", (string?)output["requestId"]);
    }

    [Fact]
    public async Task Session_token_is_sent_and_signed()
    {
        await ExecutorRun.RunAsync(new AwsExecutor(credentials, http, Clock), GenericInputs("DescribeInstances", credential: "aws-temporary"));

        var (_, headers) = Assert.Single(ec2.Received);
        Assert.Equal("FwoGZXIvYXdzEXAMPLETOKEN//+=", headers["X-Amz-Security-Token"]);
        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,", headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_instance_is_a_bpmn_error_with_the_aws_code_and_request_id()
    {
        var error = await Assert.ThrowsAsync<BpmnErrorException>(() =>
            ExecutorRun.RunAsync(new AwsStopInstancesExecutor(credentials, http, Clock), InstanceInputs("i-missing")));

        Assert.Equal("AWS_InvalidInstanceID.NotFound", error.ErrorCode);
        Assert.Contains("The instance ID 'i-missing' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("59dbff89-35bd-4eac-99ed-be587EXAMPLE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_secret_gives_auth_failure_and_the_message_holds_no_secret()
    {
        var error = await Assert.ThrowsAsync<BpmnErrorException>(() =>
            ExecutorRun.RunAsync(new AwsExecutor(credentials, http, Clock), GenericInputs("DescribeInstances", credential: "aws-stale")));

        Assert.Equal("AWS_AuthFailure", error.ErrorCode);
        Assert.DoesNotContain("stale-secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Ec2Emulator.Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_is_a_technical_failure_to_retry()
    {
        var error = await Assert.ThrowsAsync<CloudApiException>(() =>
            ExecutorRun.RunAsync(new AwsExecutor(credentials, http, Clock), GenericInputs("Throttle")));
        Assert.Contains("RequestLimitExceeded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_ends_a_call_that_gets_no_answer()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ExecutorRun.RunAsync(new AwsExecutor(credentials, http, Clock), GenericInputs("Hang"), cancel.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task An_answer_larger_than_the_cap_fails_clearly()
    {
        using var small = new CloudHttp(new CloudApiOptions { MaxResponseBytes = 4096 }, TestOutbound.LoopbackAllowed);
        var error = await Assert.ThrowsAsync<CloudApiException>(() =>
            ExecutorRun.RunAsync(new AwsExecutor(credentials, small, Clock), GenericInputs("Flood")));
        Assert.Contains("4096 bytes", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, JsonNode?, string> GarbageInputs() => new()
    {
        { "region", "us east 1; rm -rf", "region" },
        { "region", "../../etc", "region" },
        { "region", "us-east-1\n", "region" },
        { "action", "DescribeInstances\n", "action" },
        { "service", "ec2\n", "service" },
        { "version", "2016-11-15\n", "version" },
        { "parameters", new JsonObject { ["Name\n"] = "x" }, "Name" },
        { "action", "Describe Instances&x=1", "action" },
        { "service", "EC2.evil.com/", "service" },
        { "version", "latest", "version" },
        { "endpoint", "ftp://127.0.0.1/", "endpoint" },
        { "endpoint", "http://user:pw@127.0.0.1/", "endpoint" },
        { "parameters", new JsonObject { ["Name&Evil=1"] = "x" }, "Name&Evil=1" },
        { "parameters", new JsonObject { ["Action"] = "TerminateInstances" }, "Action" },
        { "parameters", new JsonObject { ["Description"] = new string('x', 200_000) }, "bytes" },
    };

    [Theory]
    [MemberData(nameof(GarbageInputs))]
    public async Task Garbage_inputs_are_refused_before_anything_is_sent(string input, JsonNode? value, string named)
    {
        var inputs = GenericInputs("DescribeInstances");
        inputs[input] = value;

        var error = await Assert.ThrowsAsync<ExecutorInputException>(() => ExecutorRun.RunAsync(new AwsExecutor(credentials, http, Clock), inputs));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, ec2.Requests);
    }

    [Fact]
    public async Task Bad_instance_ids_are_refused_before_anything_is_sent()
    {
        var executor = new AwsStopInstancesExecutor(credentials, http, Clock);
        await Assert.ThrowsAsync<ExecutorInputException>(() => ExecutorRun.RunAsync(executor, InstanceInputs()));
        await Assert.ThrowsAsync<ExecutorInputException>(() => ExecutorRun.RunAsync(executor, InstanceInputs("i-1&Action=TerminateInstances")));
        await Assert.ThrowsAsync<ExecutorInputException>(() => ExecutorRun.RunAsync(executor, InstanceInputs("i-1\n")));
        var numbers = InstanceInputs();
        numbers["instanceIds"] = new JsonArray(1, 2);
        await Assert.ThrowsAsync<ExecutorInputException>(() => ExecutorRun.RunAsync(executor, numbers));
        Assert.Equal(0, ec2.Requests);
    }

    [Fact]
    public async Task A_credential_of_another_kind_is_refused_by_name()
    {
        var error = await Assert.ThrowsAsync<CredentialException>(() =>
            ExecutorRun.RunAsync(new AwsExecutor(credentials, http, Clock), GenericInputs("DescribeInstances", credential: "aliyun-prod")));
        Assert.Contains("aliyun-prod", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, ec2.Requests);
    }

    [Fact]
    public void Descriptors_carry_the_contract_type_names()
    {
        Assert.Equal("cloud.aws", new AwsExecutor(credentials, http, Clock).Descriptor.Type);
        var stop = new AwsStopInstancesExecutor(credentials, http, Clock).Descriptor;
        Assert.Equal("cloud.aws.stopInstances", stop.Type);
        Assert.Equal("credential", stop.Input("credential")!.UiHint);
        Assert.Equal(InputType.Array, stop.Input("instanceIds")!.Type);
        Assert.Equal(InputType.Boolean, stop.Input("force")!.Type);
        Assert.Equal("cloud.aws.startInstances", new AwsStartInstancesExecutor(credentials, http, Clock).Descriptor.Type);
        Assert.Equal("cloud.aws.rebootInstances", new AwsRebootInstancesExecutor(credentials, http, Clock).Descriptor.Type);
    }
}
