using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeOps.Activities.Credentials;
using WeOps.Engine.Persistence;

namespace WeOps.Activities.Tests.Credentials;

/// <summary>Credentials are encrypted at rest with Data Protection keys kept in the database, and those
/// keys are themselves encrypted with the master key that lives outside it.</summary>
public sealed class CredentialStoreTests : IAsyncLifetime
{
    private const string PrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-the-secret-part\n-----END OPENSSH PRIVATE KEY-----";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "weops-tests", Guid.NewGuid().ToString("N"));
    private DatabaseOptions database = null!;

    public async Task InitializeAsync()
    {
        database = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "weops.db")}");
        await database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    private ServiceProvider Node(string? masterKey = null, string keyFile = "master.key")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Credentials:MasterKey"] = masterKey,
            ["Credentials:MasterKeyFile"] = Path.Combine(folder, keyFile),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(database);
        services.AddSingleton(TimeProvider.System);
        services.AddWeOpsActivities(configuration, folder);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task A_saved_credential_reads_back_with_its_values()
    {
        await using var node = Node();
        var store = node.GetRequiredService<CredentialStore>();

        var (created, summary) = await store.SaveAsync("web-ssh", CredentialKind.Ssh, "deploy key",
            new Dictionary<string, string> { ["username"] = "deploy", ["privateKey"] = PrivateKey }, "alice", CancellationToken.None);
        var credential = await node.GetRequiredService<ICredentialStore>().GetAsync("web-ssh", CancellationToken.None);

        Assert.True(created);
        Assert.Equal(["privateKey", "username"], summary.Fields);
        Assert.Equal(CredentialKind.Ssh, credential.Kind);
        Assert.Equal(PrivateKey, credential.Require("privateKey"));
        Assert.Equal("deploy", credential.Require("username"));
        Assert.DoesNotContain("the-secret-part", credential.ToString());
    }

    [Fact]
    public async Task Neither_the_values_nor_the_key_ring_are_stored_in_clear()
    {
        await using (var node = Node())
            await node.GetRequiredService<CredentialStore>().SaveAsync("web-ssh", CredentialKind.Ssh, null,
                new Dictionary<string, string> { ["privateKey"] = PrivateKey }, null, CancellationToken.None);
        SqliteConnection.ClearAllPools();

        var file = await File.ReadAllBytesAsync(Path.Combine(folder, "weops.db"));
        var wal = Path.Combine(folder, "weops.db-wal");
        var bytes = File.Exists(wal) ? [.. file, .. await File.ReadAllBytesAsync(wal)] : file;
        Assert.Equal(-1, IndexOf(bytes, Encoding.UTF8.GetBytes("the-secret-part")));

        await using var db = new WeOpsDb(database.ContextOptions());
        var keys = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync();
        Assert.NotEmpty(keys);
        // A Data Protection key in clear carries its secret as <masterKey>; ours are wrapped whole.
        Assert.All(keys, xml =>
        {
            Assert.Contains("weopsEncryptedKey", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
    }

    [Fact]
    public async Task Another_node_with_the_same_master_key_reads_the_credential()
    {
        var master = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using (var first = Node(master))
            await first.GetRequiredService<CredentialStore>().SaveAsync("aws-prod", CredentialKind.Aws, null,
                new Dictionary<string, string> { ["accessKeyId"] = "AKIDEXAMPLE", ["secretAccessKey"] = "wJalrXUtnFEMI" }, null, CancellationToken.None);

        await using var second = Node(master);
        var credential = await second.GetRequiredService<ICredentialStore>().GetAsync("aws-prod", CancellationToken.None);

        Assert.Equal("wJalrXUtnFEMI", credential.Require("secretAccessKey"));
    }

    [Fact]
    public async Task A_node_with_another_master_key_says_so_instead_of_returning_garbage()
    {
        await using (var first = Node(Convert.ToBase64String(new byte[32])))
            await first.GetRequiredService<CredentialStore>().SaveAsync("aws-prod", CredentialKind.Aws, null,
                new Dictionary<string, string> { ["accessKeyId"] = "AKIDEXAMPLE", ["secretAccessKey"] = "wJalrXUtnFEMI" }, null, CancellationToken.None);

        await using var second = Node(Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()));
        var error = await Assert.ThrowsAsync<CredentialException>(() =>
            second.GetRequiredService<ICredentialStore>().GetAsync("aws-prod", CancellationToken.None));

        Assert.Contains("aws-prod", error.Message);
        Assert.Contains("master key", error.Message);
        Assert.DoesNotContain("wJalrXUtnFEMI", error.Message);
    }

    [Fact]
    public async Task The_master_key_file_is_made_once_and_readable_only_by_its_owner()
    {
        await using (var node = Node(keyFile: "keys/master.key"))
            node.GetRequiredService<MasterKey>();
        var path = Path.Combine(folder, "keys", "master.key");
        var first = await File.ReadAllTextAsync(path);
        await using (var node = Node(keyFile: "keys/master.key"))
            node.GetRequiredService<MasterKey>();

        Assert.Equal(first, await File.ReadAllTextAsync(path));
        Assert.Equal(32, Convert.FromBase64String(first).Length);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData("not base64!", "not base64")]
    [InlineData("AAAA", "it must be 32")]
    public void A_bad_master_key_setting_is_refused_with_the_reason(string setting, string expected)
    {
        using var node = Node(setting);
        var error = Assert.Throws<InvalidOperationException>(() => node.GetRequiredService<MasterKey>());
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void On_postgres_the_master_key_must_be_set_explicitly()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new DatabaseOptions(DatabaseProvider.Postgres, "Host=127.0.0.1"));
        services.AddSingleton(TimeProvider.System);
        services.AddWeOpsActivities(new ConfigurationBuilder().Build(), folder);
        using var node = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => node.GetRequiredService<MasterKey>());
        Assert.Contains("Credentials:MasterKey", error.Message);
    }

    [Fact]
    public async Task A_missing_credential_is_named_in_the_error()
    {
        await using var node = Node();
        var error = await Assert.ThrowsAsync<CredentialException>(() =>
            node.GetRequiredService<ICredentialStore>().GetAsync("nope", CancellationToken.None));
        Assert.Contains("'nope'", error.Message);
    }

    [Fact]
    public async Task Saving_again_replaces_the_values_and_keeps_who_created_it()
    {
        await using var node = Node();
        var store = node.GetRequiredService<CredentialStore>();
        await store.SaveAsync("hook", CredentialKind.Webhook, null, new Dictionary<string, string> { ["url"] = "https://a", ["secret"] = "s1" }, "alice", CancellationToken.None);

        var (created, summary) = await store.SaveAsync("hook", CredentialKind.Webhook, "rotated", new Dictionary<string, string> { ["secret"] = "s2" }, "bob", CancellationToken.None);
        var credential = await store.GetAsync("hook", CancellationToken.None);

        Assert.False(created);
        Assert.Equal(["secret"], summary.Fields);
        Assert.Equal(("alice", "bob"), (summary.CreatedBy, summary.UpdatedBy));
        Assert.Null(credential.Optional("url"));
        Assert.Equal("s2", credential.Require("secret"));
        Assert.True(await store.DeleteAsync("hook", CancellationToken.None));
        Assert.False(await store.DeleteAsync("hook", CancellationToken.None));
    }

    private static int IndexOf(byte[] haystack, byte[] needle) =>
        haystack.AsSpan().IndexOf(needle);
}
