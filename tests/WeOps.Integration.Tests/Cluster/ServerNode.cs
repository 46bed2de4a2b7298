using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace WeOps.Integration.Tests.Cluster;

/// <summary>A real WeOps server as a child process: <c>dotnet WeOps.Server.dll</c> from the server's own
/// build output, on a free loopback port, its console captured to a log file. Disposing kills it.</summary>
public sealed class ServerNode : IDisposable
{
    /// <summary>The admin key every node of these tests is started with.</summary>
    public const string AdminKey = "cluster-test-admin-key-0123456789";

    private readonly Process process;
    private readonly StreamWriter log;
    private readonly object logLock = new();

    private ServerNode(string name, Process process, StreamWriter log, string logPath, Uri address)
    {
        Name = name;
        this.process = process;
        this.log = log;
        LogPath = logPath;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    public string Name { get; }
    public Uri Address { get; }
    public string LogPath { get; }

    /// <summary>A client of this node with the admin key.</summary>
    public HttpClient Client { get; }

    /// <summary>The server's own process id: <c>dotnet app.dll</c> runs the app in the process it starts.</summary>
    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>WeOps.Server.dll of the build this test assembly belongs to (see the test project file).</summary>
    public static string ServerDll
    {
        get
        {
            var path = typeof(ServerNode).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "WeOps.Server.Path")?.Value;
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
                throw new InvalidOperationException($"WeOps.Server.dll was not found at '{path}'; build src/Server (the test project references it, so building the tests builds it).");
            return path;
        }
    }

    /// <summary>Starts a node with the given configuration (<c>Key=value</c>, passed as <c>--Key=value</c>).
    /// It does not wait for the node: see <see cref="WaitReadyAsync"/>.</summary>
    public static ServerNode Start(string name, string logDirectory, params string[] settings)
    {
        var dll = ServerDll;
        var directory = Path.GetDirectoryName(dll)!;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", directory, $"--Auth:AdminApiKey={AdminKey}" })
            start.ArgumentList.Add(argument);
        foreach (var setting in settings)
            start.ArgumentList.Add("--" + setting);

        // Settings of the machine running the tests must not leak into the nodes.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.Contains("__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(variable);
        start.Environment["DOTNET_NOLOGO"] = "1";

        Directory.CreateDirectory(logDirectory);
        var logPath = Path.Combine(logDirectory, $"{name}.log");
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        log.WriteLine($"== {name}: dotnet {string.Join(' ', start.ArgumentList.Skip(1))}");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var node = new ServerNode(name, process, log, logPath, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => node.Write(e.Data);
        process.ErrorDataReceived += (_, e) => node.Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        node.Write($"== {name}: process {process.Id} on {node.Address}");
        return node;
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 200; fails at once if the process exits.</summary>
    public async Task WaitReadyAsync(TimeSpan patience)
    {
        var deadline = Stopwatch.StartNew();
        using var probe = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} before it was ready.");
            try
            {
                using var response = await probe.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer while starting.
            }

            if (deadline.Elapsed > patience)
                throw new TimeoutException($"{Name} was not ready within {patience.TotalSeconds:0} s.");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the process to end on its own; false when it is still running after <paramref name="patience"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: no shutdown, no unregistering, no flushing; what a crash or the OOM killer does.</summary>
    public async Task KillAsync()
    {
        Write($"== {Name}: SIGKILL from the test");
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the node stands still (no job finishes, no heartbeat) until <see cref="Resume"/>,
    /// so the test can look at what it holds before killing it.</summary>
    public void Freeze() => Signal("SIGSTOP", 19);

    public void Resume() => Signal("SIGCONT", 18);

    /// <summary>SIGTERM: what a service manager or Kubernetes sends to stop the node cleanly.</summary>
    public void Terminate() => Signal("SIGTERM", 15);

    /// <summary>What the node printed so far.</summary>
    public string Output()
    {
        lock (logLock)
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), Encoding.UTF8);
            return reader.ReadToEnd();
        }
    }

    /// <summary>The last lines the node printed, for failure messages.</summary>
    public string Tail(int lines = 60)
    {
        var all = Output().Split('\n');
        return $"---- {Name} (process {process.Id}; whole log: {LogPath}) ----\n" + string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public void Dispose()
    {
        Client.Dispose();
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }

        process.Dispose();
        lock (logLock) log.Dispose();
    }

    private void Write(string? line)
    {
        if (line is null) return;
        lock (logLock)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A last line after Dispose.
            }
        }
    }

    /// <summary>Sends a signal by its Linux number (the same on x64 and arm64); .NET sends only SIGKILL and SIGTERM.</summary>
    private void Signal(string name, int number)
    {
        Write($"== {Name}: {name} from the test");
        if (kill(process.Id, number) != 0)
            throw new InvalidOperationException($"{name} to process {process.Id} failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
