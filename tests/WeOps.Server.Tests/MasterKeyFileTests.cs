namespace WeOps.Server.Tests;

/// <summary>The credential master key file lives where Credentials:MasterKeyFile says (./run.sh: beside the
/// database under data/); a key an earlier start made at the old default place, under the content root, moves
/// there, so the credentials stored with it stay readable.</summary>
public sealed class MasterKeyFileTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "weops-master-key-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_key_file_at_the_old_default_place_moves_to_the_configured_file_with_a_log_line()
    {
        var contentRoot = Path.Combine(folder, "server");
        var oldFile = Path.Combine(contentRoot, "data", "master.key");
        var newFile = Path.Combine(folder, "data", "master.key");
        var log = Path.Combine(folder, "server.log");
        Directory.CreateDirectory(Path.GetDirectoryName(oldFile)!);
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await File.WriteAllTextAsync(oldFile, key);

        await using (await RunningServer.StartAsync(
            ["--contentRoot", contentRoot, $"--Credentials:MasterKeyFile={newFile}",
             "--Serilog:WriteTo:0:Name=File", $"--Serilog:WriteTo:0:Args:path={log}"]))
        {
            Assert.False(File.Exists(oldFile));
            Assert.Equal(key, await File.ReadAllTextAsync(newFile));
        }

        Assert.Single(File.ReadAllLines(log), line => line.Contains("Moved the credential master key", StringComparison.Ordinal)
            && line.Contains(oldFile, StringComparison.Ordinal) && line.Contains(newFile, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_file_at_the_configured_place_is_kept_and_the_old_one_left_alone()
    {
        var contentRoot = Path.Combine(folder, "server");
        var oldFile = Path.Combine(contentRoot, "data", "master.key");
        var newFile = Path.Combine(folder, "data", "master.key");
        Directory.CreateDirectory(Path.GetDirectoryName(oldFile)!);
        Directory.CreateDirectory(Path.GetDirectoryName(newFile)!);
        var oldKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var newKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await File.WriteAllTextAsync(oldFile, oldKey);
        await File.WriteAllTextAsync(newFile, newKey);

        await using (await RunningServer.StartAsync(["--contentRoot", contentRoot, $"--Credentials:MasterKeyFile={newFile}"]))
        {
            Assert.Equal(oldKey, await File.ReadAllTextAsync(oldFile));
            Assert.Equal(newKey, await File.ReadAllTextAsync(newFile));
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
