using System.Text.Json.Nodes;
using WeOps.Activities.Credentials;
using WeOps.Activities.Inventory;
using WeOps.Activities.Ssh;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Ssh;

public sealed class SshExecutorDescriptorTests
{
    private static readonly SshExecutor Executor = new(
        new InMemoryCredentialStore(),
        new InMemoryHostInventory([new Host("web1", "10.0.0.11", 22, null, null, ["web"])]),
        new SshOptions(),
        Support.TestOutbound.Defaults);

    private static readonly ExecutorContext Context = new("i-1", "run", 1,
        Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, new InMemoryLargeOutputStore());

    [Fact]
    public void The_descriptor_names_the_contract_and_its_inputs()
    {
        var descriptor = Executor.Descriptor;

        Assert.Equal("ssh.exec", descriptor.Type);
        Assert.Equal("Remote", descriptor.Category);
        Assert.Equal(["hosts"], descriptor.Inputs.Where(i => i.Required).Select(i => i.Name));
        Assert.Equal(
            ["hosts", "command", "script", "shell", "args", "env", "sudo", "user", "port", "credential", "timeout", "parallelism", "onFailure", "failWhen", "hostKeyPolicy"],
            descriptor.Inputs.Select(i => i.Name));
        Assert.Equal("credential", descriptor.Input("credential")!.UiHint);
        Assert.Equal("code", descriptor.Input("script")!.UiHint);
        Assert.Equal(InputSyntax.Shell, descriptor.Input("command")!.Syntax);
        Assert.Equal(InputSyntax.Shell, descriptor.Input("script")!.Syntax);
        Assert.Equal(InputSyntax.Text, descriptor.Input("user")!.Syntax);
        Assert.Equal(InputType.Duration, descriptor.Input("timeout")!.Type);
        Assert.Equal(["continue", "stop"], descriptor.Input("onFailure")!.Options);
        Assert.Equal(["anyHost", "allHosts", "never"], descriptor.Input("failWhen")!.Options);
        Assert.Equal(["strict", "acceptNew"], descriptor.Input("hostKeyPolicy")!.Options);
        Assert.Equal(["hosts", "failedHosts", "succeeded", "failed", "skipped"], descriptor.Outputs.Select(o => o.Name));
        Assert.Contains(SshExecutor.FailedErrorCode, descriptor.Description);
    }

    [Theory]
    [InlineData("""{"command":"uptime"}""", "input 'hosts' is required")]
    [InlineData("""{"hosts":"","command":"uptime"}""", "input 'hosts' is required")]
    [InlineData("""{"hosts":"web1"}""", "give either 'command' or 'script'")]
    [InlineData("""{"hosts":"web1","command":"a","script":"b"}""", "not both")]
    [InlineData("""{"hosts":42,"command":"uptime"}""", "'hosts' must be a host name")]
    [InlineData("""{"hosts":["web1",{"x":1}],"command":"uptime"}""", "'hosts' item 1 must be a string")]
    [InlineData("""{"hosts":"web1","command":"uptime","parallelism":0}""", "'parallelism' must be between 1 and 100")]
    [InlineData("""{"hosts":"web1","command":"uptime","parallelism":101}""", "'parallelism' must be between 1 and 100")]
    [InlineData("""{"hosts":"web1","command":"uptime","port":70000}""", "'port' must be between 1 and 65535")]
    [InlineData("""{"hosts":"web1","command":"uptime","timeout":"soon"}""", "input 'timeout' must be an ISO 8601 duration")]
    [InlineData("""{"hosts":"web1","command":"uptime","timeout":"PT0S"}""", "'timeout' must be longer than zero")]
    [InlineData("""{"hosts":"web1","command":"uptime","onFailure":"explode"}""", "input 'onFailure' must be one of continue, stop")]
    [InlineData("""{"hosts":"web1","command":"uptime","hostKeyPolicy":"acceptNew"}""", "not allowed on this server")]
    [InlineData("""{"hosts":"web1","command":"uptime","user":"-oProxyCommand=x"}""", "is not a user name")]
    [InlineData("""{"hosts":"web1","command":"uptime","env":{"PATH\n":"x"}}""", "is not a variable name")]
    [InlineData("""{"hosts":"web1","command":"uptime","args":[{"a":1}]}""", "'args' item 0 must be a string")]
    [InlineData("""{"hosts":"nosuchhost","command":"uptime"}""", "'nosuchhost' is not in the inventory")]
    [InlineData("""{"hosts":"tags: db","command":"uptime"}""", "'tags: db' matches no host")]
    public async Task Bad_inputs_are_refused_with_a_message_naming_the_problem(string json, string message)
    {
        var e = await Assert.ThrowsAsync<ExecutorInputException>(
            () => Executor.ExecuteAsync(JsonNode.Parse(json)!.AsObject(), Context, CancellationToken.None));

        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Server_options_that_cannot_work_fail_at_construction()
    {
        Assert.Throws<InvalidOperationException>(() => new SshExecutor(new InMemoryCredentialStore(), new InMemoryHostInventory(),
            new SshOptions { MaxOutputCharsInVariable = 100, MaxStoredOutputChars = 10 }, Support.TestOutbound.Defaults));
        Assert.Throws<InvalidOperationException>(() => new SshExecutor(new InMemoryCredentialStore(), new InMemoryHostInventory(),
            new SshOptions { SshPath = " " }, Support.TestOutbound.Defaults));
    }
}
