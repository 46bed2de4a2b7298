using System.Text;
using WeOps.Activities.Credentials;

namespace WeOps.Activities.Ssh;

/// <summary>The private directory one step works in: private keys (mode 0600), the known_hosts file
/// built for the step, spilled output. Deleted when the step ends, whatever the outcome.</summary>
internal sealed class SshWorkspace : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly Dictionary<string, SshLogin> logins = new(StringComparer.Ordinal);
    private int files;

    private SshWorkspace(string directory)
    {
        Directory = directory;
        KnownHostsPath = Path.Combine(directory, "known_hosts");
    }

    public string Directory { get; }

    public string KnownHostsPath { get; }

    public static SshWorkspace Create(string? parent)
    {
        if (parent is null)
            return new SshWorkspace(System.IO.Directory.CreateTempSubdirectory("weops-ssh-").FullName);
        var path = Path.Combine(parent, "weops-ssh-" + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows())
            System.IO.Directory.CreateDirectory(path);
        else
            System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new SshWorkspace(path);
    }

    /// <summary>Writes the known_hosts lines the inventory records for the targets.</summary>
    public void WriteKnownHosts(IEnumerable<SshTarget> targets)
    {
        var text = new StringBuilder();
        foreach (var lines in targets.Select(t => t.KnownHosts).Where(k => !string.IsNullOrWhiteSpace(k)).Distinct())
            text.Append(lines!.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n')).Append('\n');
        WritePrivate(KnownHostsPath, text.ToString());
    }

    /// <summary>The login a credential gives: its user name and a key file written for this step.</summary>
    /// <exception cref="CredentialException">The credential is missing, not an SSH one, or of a form
    /// ssh.exec cannot use without a terminal.</exception>
    public async Task<SshLogin> LoginAsync(string name, ICredentialStore credentials, CancellationToken cancellationToken)
    {
        if (logins.TryGetValue(name, out var login)) return login;
        var credential = (await credentials.GetAsync(name, cancellationToken)).Expect(CredentialKind.Ssh);
        var key = credential.Optional("privateKey");
        if (key is null)
        {
            throw new CredentialException(credential.Optional("password") is null
                ? $"Credential '{name}' has no 'privateKey'."
                : $"Credential '{name}' holds a password; ssh.exec logs in with keys only (add a 'privateKey').");
        }

        if (credential.Optional("passphrase") is not null)
            throw new CredentialException($"Credential '{name}' has a passphrase-protected key; ssh.exec needs an unencrypted key (stored encrypted by WeOps).");
        var path = Path.Combine(Directory, $"key{Interlocked.Increment(ref files)}");
        // ssh rejects a key file without its final newline, and CRs from a pasted key.
        var text = key.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() + "\n";
        WritePrivate(path, text);
        login = new SshLogin(credential.Optional("username"), path);
        logins[name] = login;
        return login;
    }

    public string NewSpillPath() => Path.Combine(Directory, $"out{Interlocked.Increment(ref files)}");

    private static void WritePrivate(string path, string text)
    {
        var mode = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        // ssh ignores a private key that others can read.
        if (!OperatingSystem.IsWindows()) mode.UnixCreateMode = OwnerOnly;
        using var stream = new FileStream(path, mode);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write(text);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a killed ssh; the directory is private and under temp.
        }
    }
}

/// <summary>A user name (if the credential names one) and the private key file to log in with.</summary>
internal sealed record SshLogin(string? User, string KeyPath);
