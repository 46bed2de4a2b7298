namespace WeOps.Activities.Ssh;

/// <summary>Server-side settings of <c>ssh.exec</c> (configuration section <c>Ssh</c>); a process
/// cannot change them.</summary>
public sealed record SshOptions
{
    /// <summary>The OpenSSH client to run.</summary>
    public string SshPath { get; init; } = "ssh";

    /// <summary>A known_hosts file trusted besides the keys recorded in the inventory; under
    /// <c>acceptNew</c> new keys are added to it.</summary>
    public string? KnownHostsFile { get; init; }

    /// <summary>Whether a step may ask for <c>hostKeyPolicy: acceptNew</c> (trust a host's key on first
    /// use). Off: every key must be known beforehand.</summary>
    public bool AllowAcceptNew { get; init; }

    /// <summary>An ssh_config file for every connection (jump hosts, ciphers...); null: ssh's own
    /// default (~/.ssh/config of the service account).</summary>
    public string? ConfigFile { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How much of a host's stdout and of its stderr the output variable keeps.</summary>
    public int MaxOutputCharsInVariable { get; init; } = 65_536;

    /// <summary>How much of a longer stdout or stderr goes to the large-output store; the rest is dropped
    /// and the stored text says so.</summary>
    public long MaxStoredOutputChars { get; init; } = 64L * 1024 * 1024;

    /// <summary>Where private keys, known_hosts and spilled output live while a step runs (a private
    /// directory is made in it per step); null: the system temp directory.</summary>
    public string? TempDirectory { get; init; }

    /// <exception cref="InvalidOperationException">A setting cannot work.</exception>
    public SshOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(SshPath))
            throw new InvalidOperationException("Ssh:SshPath must name the OpenSSH client (e.g. ssh or /usr/bin/ssh).");
        if (MaxOutputCharsInVariable < 0)
            throw new InvalidOperationException("Ssh:MaxOutputCharsInVariable cannot be negative.");
        if (MaxStoredOutputChars < MaxOutputCharsInVariable || MaxStoredOutputChars > int.MaxValue / 2)
            throw new InvalidOperationException($"Ssh:MaxStoredOutputChars must be between MaxOutputCharsInVariable and {int.MaxValue / 2}.");
        if (ConnectTimeout < TimeSpan.FromSeconds(1))
            throw new InvalidOperationException("Ssh:ConnectTimeout must be at least one second.");
        foreach (var (name, path) in new[] { ("KnownHostsFile", KnownHostsFile), ("ConfigFile", ConfigFile) })
        {
            if (path is not null && (path.Contains('"') || path.Any(char.IsControl)))
                throw new InvalidOperationException($"Ssh:{name} cannot contain quotes or control characters.");
        }

        return this;
    }
}
