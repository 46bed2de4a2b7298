using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Activities.Credentials;
using WeOps.Activities.Inventory;
using WeOps.Activities.Ssh;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Ssh;

/// <summary>The OpenSSH server the ssh.exec tests log in to, described by the WEOPS_TEST_SSH_*
/// variables that scripts/services/sshd.sh exports. Without them the tests fail, they are not skipped.</summary>
internal static class SshServer
{
    public const string Credential = "test-key";
    public const string WrongCredential = "stranger-key";
    public const string Tag = "sshd-test";

    public static IReadOnlyList<int> Ports => [.. Require("WEOPS_TEST_SSH_PORTS").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];

    public static string User => Require("WEOPS_TEST_SSH_USER");

    public static string KnownHosts => Require("WEOPS_TEST_SSH_KNOWN_HOSTS");

    /// <summary>An inventory with one host per sshd port (h0..h19), tagged <see cref="Tag"/>.</summary>
    public static InMemoryHostInventory Inventory()
    {
        var inventory = new InMemoryHostInventory();
        var ports = Ports;
        for (var i = 0; i < ports.Count; i++)
            inventory.Add(new Host($"h{i}", "127.0.0.1", ports[i], User, Credential, [Tag, $"index:{i}"]) { KnownHosts = KnownHosts });
        return inventory;
    }

    public static InMemoryCredentialStore Credentials() => new InMemoryCredentialStore()
        .Add(new Credential(Credential, CredentialKind.Ssh, new Dictionary<string, string>
        {
            ["username"] = User,
            ["privateKey"] = File.ReadAllText(Require("WEOPS_TEST_SSH_KEY")),
        }))
        .Add(new Credential(WrongCredential, CredentialKind.Ssh, new Dictionary<string, string>
        {
            ["username"] = User,
            ["privateKey"] = File.ReadAllText(Require("WEOPS_TEST_SSH_WRONG_KEY")),
        }));

    public static SshExecutor Executor(IHostInventory? inventory = null, SshOptions? options = null) =>
        new(Credentials(), inventory ?? Inventory(), options ?? new SshOptions { ConfigFile = "/dev/null" }, Support.TestOutbound.LoopbackAllowed);

    public static (ExecutorContext Context, InMemoryLargeOutputStore Store) Context()
    {
        var store = new InMemoryLargeOutputStore();
        return (new ExecutorContext("i-ssh", "run", 1, NullLogger.Instance, store), store);
    }

    /// <summary>A port on 127.0.0.1 that refuses connections while the returned object lives.</summary>
    public static Support.ClosedPort ClosedPort() => new();

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set, so the ssh.exec tests have no SSH server. Run them through ./test.sh, which starts "
                + "sshd on 127.0.0.1 (scripts/services/sshd.sh), or by hand: bash -c 'source scripts/test-services.sh; "
                + "svc_sshd_start; dotnet test tests/WeOps.Activities.Tests --filter FullyQualifiedName~Ssh; svc_sshd_stop'");
}
