using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Activities.Cloud;
using WeOps.Activities.Credentials;
using WeOps.Activities.Email;
using WeOps.Activities.Http;
using WeOps.Activities.Inventory;
using WeOps.Activities.Kubernetes;
using WeOps.Activities.Network;
using WeOps.Activities.Notify;
using WeOps.Activities.Ssh;
using WeOps.Activities.Tests.Cloud;
using WeOps.Activities.Tests.Email;
using WeOps.Activities.Tests.Http;
using WeOps.Activities.Tests.Kubernetes;
using WeOps.Activities.Tests.Ssh;
using WeOps.Activities.Tests.Support;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Network;

/// <summary>Every executor that connects somewhere refuses loopback under the default policy, before it
/// sends anything to the peer listening there (the test sshd, the emulations, a chat receiver, SMTP).</summary>
public sealed class ExecutorOutboundPolicyTests
{
    private static ExecutorContext Context() => new("i-1", "step", 1, NullLogger.Instance, new InMemoryLargeOutputStore());

    [Fact]
    public async Task Ssh_refuses_a_loopback_host_by_default_and_runs_nothing()
    {
        var marker = Path.Combine(Path.GetTempPath(), "weops-outbound-" + Guid.NewGuid().ToString("N"));
        var executor = new SshExecutor(SshServer.Credentials(), SshServer.Inventory(), new SshOptions { ConfigFile = "/dev/null" }, TestOutbound.Defaults);

        var error = await Assert.ThrowsAsync<OutboundRefusedException>(() => executor.ExecuteAsync(
            new JsonObject { ["hosts"] = "h0", ["command"] = $"touch {marker}" }, Context(), CancellationToken.None));

        Assert.Contains("ssh.exec: host 'h0'", error.Message);
        Assert.Contains("127.0.0.1", error.Message);
        Assert.Contains("Outbound:Allow", error.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Ssh_connects_to_the_address_it_judged_and_checks_the_host_key_under_the_name()
    {
        var port = SshServer.Ports[0];
        var inventory = new InMemoryHostInventory();
        // The test sshd's key, recorded for the name rather than for 127.0.0.1.
        var knownHosts = SshServer.KnownHosts.Replace("[127.0.0.1]", "[localhost]", StringComparison.Ordinal);
        inventory.Add(new Host("by-name", "localhost", port, SshServer.User, SshServer.Credential, []) { KnownHosts = knownHosts });
        var refusing = new SshExecutor(SshServer.Credentials(), inventory, new SshOptions { ConfigFile = "/dev/null" }, TestOutbound.Defaults);
        var allowing = new SshExecutor(SshServer.Credentials(), inventory, new SshOptions { ConfigFile = "/dev/null" }, TestOutbound.LoopbackAllowed);
        var inputs = new JsonObject { ["hosts"] = "by-name", ["command"] = "echo reached" };

        var error = await Assert.ThrowsAsync<OutboundRefusedException>(() => refusing.ExecuteAsync(inputs.DeepClone().AsObject(), Context(), CancellationToken.None));
        var output = (await allowing.ExecuteAsync(inputs.DeepClone().AsObject(), Context(), CancellationToken.None))!;

        Assert.Contains("the address of 'localhost'", error.Message);
        var host = output["hosts"]![0]!;
        Assert.Equal(0, (int?)host["exitCode"]);
        Assert.Equal("reached\n", (string?)host["stdout"]);
    }

    [Fact]
    public async Task Kubernetes_refuses_a_loopback_api_server_by_default()
    {
        await using var bed = await KubernetesTestBed.StartAsync();
        using var connector = new KubernetesConnector(bed.Credentials, new KubernetesOptions(), TestOutbound.Defaults);
        var before = bed.Api.Requests.Count;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => bed.RunAsync(new KubernetesGetPodsExecutor(connector), new { }));

        Assert.NotNull(OutboundRefusedException.Within(error));
        Assert.Contains("Outbound:Allow", error.Message);
        Assert.Equal(before, bed.Api.Requests.Count);
    }

    [Fact]
    public async Task A_cloud_executor_refuses_a_loopback_endpoint_by_default()
    {
        await using var ec2 = await Ec2Emulator.StartAsync();
        using var http = new CloudHttp(new CloudApiOptions(), TestOutbound.Defaults);
        var credentials = new InMemoryCredentialStore().Add(new Credential("aws", CredentialKind.Aws, new Dictionary<string, string>
        {
            ["accessKeyId"] = Ec2Emulator.AccessKeyId,
            ["secretAccessKey"] = Ec2Emulator.Secret,
        }));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ExecutorRun.RunAsync(new AwsStopInstancesExecutor(credentials, http, TimeProvider.System), new JsonObject
        {
            ["instanceIds"] = new JsonArray("i-1234567890abcdef0"),
            ["region"] = Ec2Emulator.Region,
            ["credential"] = "aws",
            ["endpoint"] = ec2.Endpoint.ToString(),
        }));

        Assert.NotNull(OutboundRefusedException.Within(error));
        Assert.Contains("Outbound:Allow", error.Message);
        Assert.Equal(0, ec2.Requests);
    }

    [Fact]
    public async Task A_chat_webhook_on_loopback_is_refused_by_default()
    {
        await using var receiver = await LoopbackHttpServer.AnsweringAsync(200, "ok", "text/plain");
        using var http = new OutboundHttp(TestOutbound.Defaults);
        var executor = new WebhookNotifyExecutor(http, new InMemoryCredentialStore());

        var error = await Assert.ThrowsAnyAsync<Exception>(() => executor.ExecuteAsync(
            new JsonObject { ["platform"] = "slack", ["url"] = receiver.At("/services/T0/B0/x").ToString(), ["text"] = "disk full" },
            Context(), CancellationToken.None));

        Assert.NotNull(OutboundRefusedException.Within(error));
        Assert.Contains("Outbound:Allow", error.Message);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Email_to_an_smtp_server_on_loopback_is_refused_by_default()
    {
        var smtp = new SmtpOptions { Host = "127.0.0.1", Port = TestSmtpServer.Port, From = "WeOps <weops@weops.test>" };
        var executor = new EmailSendExecutor(new InMemoryCredentialStore(), smtp, TestOutbound.Defaults);

        var error = await Assert.ThrowsAsync<OutboundRefusedException>(() => executor.ExecuteAsync(
            new JsonObject { ["to"] = "alice@example.test", ["subject"] = "refused", ["text"] = "never sent" }, Context(), CancellationToken.None));

        Assert.Contains("SMTP server 127.0.0.1", error.Message);
        Assert.Contains("Outbound:Allow", error.Message);
    }
}
