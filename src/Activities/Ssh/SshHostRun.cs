using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Xml;

namespace WeOps.Activities.Ssh;

/// <summary>How a command went on one host. <see cref="ExitCode"/> is null when ssh was killed
/// (timeout); <see cref="Error"/> says why a host failed when its output alone would not.</summary>
internal sealed record HostOutcome(SshTarget Target, int? ExitCode, string Stdout, string Stderr, long DurationMs)
{
    public string? Error { get; init; }
    public bool StdoutTruncated { get; init; }
    public bool StderrTruncated { get; init; }
    public string? StdoutRef { get; init; }
    public string? StderrRef { get; init; }
    public bool Skipped { get; init; }

    public bool Succeeded => !Skipped && ExitCode == 0 && Error is null;
}

/// <summary>One connection: the ssh child process for one target, its output read as it comes.</summary>
internal sealed class SshHostRun(SshOptions options, SshWorkspace workspace)
{
    /// <summary>ssh's own exit code for connection and authentication failures.</summary>
    public const int SshFailure = 255;

    // Killed processes close their pipes at once; this only bounds a grandchild that kept one open.
    private static readonly TimeSpan DrainAfterKill = TimeSpan.FromSeconds(5);

    /// <summary>The ssh command line (without the program) for <paramref name="target"/>; with
    /// <paramref name="connectTo"/>, ssh connects to that address instead of resolving the target's name
    /// again, and still checks the host key recorded for the name.</summary>
    public static IReadOnlyList<string> Arguments(SshOptions options, SshTarget target, string? user, int? port, string? keyPath, HostKeyPolicy policy, string knownHostsPath, string commandLine, string? connectTo = null)
    {
        var knownHosts = options.KnownHostsFile is null ? $"\"{knownHostsPath}\"" : $"\"{options.KnownHostsFile}\" \"{knownHostsPath}\"";
        var args = new List<string>();
        if (options.ConfigFile is not null) args.AddRange(["-F", options.ConfigFile]);
        args.AddRange([
            "-T",
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=" + (policy == HostKeyPolicy.AcceptNew ? "accept-new" : "yes"),
            "-o", "UserKnownHostsFile=" + knownHosts,
            "-o", "UpdateHostKeys=no",
            "-o", "ConnectTimeout=" + (int)Math.Ceiling(options.ConnectTimeout.TotalSeconds),
            "-o", "LogLevel=ERROR",
            "-o", "ClearAllForwardings=yes",
        ]);
        if (connectTo is not null)
        {
            // ssh writes a key known for a name on another port as [name]:port, and an alias as it is given.
            var knownAs = port is { } p && p != 22 ? $"[{target.Address}]:{p.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : target.Address;
            args.AddRange(["-o", "HostName=" + connectTo, "-o", "HostKeyAlias=" + knownAs]);
        }

        if (keyPath is not null) args.AddRange(["-o", "IdentitiesOnly=yes", "-i", keyPath]);
        if (port is not null) args.AddRange(["-p", port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (user is not null) args.AddRange(["-l", user]);
        // "--" so that no address, whatever the inventory holds, is read as an option.
        args.AddRange(["--", target.Address, commandLine]);
        return args;
    }

    public async Task<HostOutcome> RunAsync(SshTarget target, IReadOnlyList<string> arguments, string? standardInput, TimeSpan? timeout, Func<string, string, CancellationToken, Task<string>> saveLarge, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo(options.SshPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // BatchMode already forbids prompts; no graphical askpass may pop up either.
        start.Environment.Remove("SSH_ASKPASS");
        start.Environment.Remove("DISPLAY");

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"ssh.exec: cannot run the OpenSSH client '{options.SshPath}' ({e.Message}); install openssh-client or set Ssh:SshPath.", e);
        }

        await using var stdout = new OutputCapture(options.MaxOutputCharsInVariable, options.MaxStoredOutputChars, workspace.NewSpillPath());
        await using var stderr = new OutputCapture(options.MaxOutputCharsInVariable, options.MaxStoredOutputChars, workspace.NewSpillPath());
        var reading = Task.WhenAll(
            stdout.ReadToEndAsync(process.StandardOutput),
            stderr.ReadToEndAsync(process.StandardError),
            WriteInputAsync(process, standardInput));

        var timedOut = false;
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            if (timeout is { } t) limit.CancelAfter(t);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                timedOut = !cancellationToken.IsCancellationRequested;
            }
        }

        try
        {
            await reading.WaitAsync(timedOut || cancellationToken.IsCancellationRequested ? DrainAfterKill : Timeout.InfiniteTimeSpan, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            Kill(process);
        }

        cancellationToken.ThrowIfCancellationRequested();
        int? exitCode = timedOut || !process.HasExited ? null : process.ExitCode;
        var outcome = new HostOutcome(target, exitCode, stdout.Head(), stderr.Head(), clock.ElapsedMilliseconds)
        {
            StdoutTruncated = stdout.Truncated,
            StderrTruncated = stderr.Truncated,
            Error = timedOut ? $"timed out after {XmlConvert.ToString(timeout!.Value)}; ssh was killed"
                : exitCode == SshFailure ? ConnectionError(stderr.Head())
                : null,
        };
        if (await stdout.FullTextAsync(cancellationToken) is { } fullOut)
            outcome = outcome with { StdoutRef = await saveLarge("stdout", fullOut, cancellationToken) };
        if (await stderr.FullTextAsync(cancellationToken) is { } fullErr)
            outcome = outcome with { StderrRef = await saveLarge("stderr", fullErr, cancellationToken) };
        return outcome;
    }

    private static async Task WriteInputAsync(Process process, string? text)
    {
        try
        {
            if (text is not null) await process.StandardInput.WriteAsync(text);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The remote side stopped reading (it exited early or the connection failed); its exit code says why.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited in the meantime.
        }
    }

    /// <summary>ssh's complaint, from the end of its stderr: "Connection refused", "Permission denied
    /// (publickey)", "Host key verification failed."...</summary>
    private static string ConnectionError(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("@@@", StringComparison.Ordinal))
            .TakeLast(3)
            .ToList();
        var text = lines.Count == 0 ? "ssh failed (exit code 255) without a message" : string.Join(" ", lines);
        return text.Length > 500 ? text[..500] + "…" : text;
    }
}
