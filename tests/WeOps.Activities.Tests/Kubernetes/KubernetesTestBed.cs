using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Activities.Credentials;
using WeOps.Activities.Kubernetes;
using WeOps.Activities.Tests.Support;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Kubernetes;

/// <summary>An emulated API server with an admin (token), a viewer (token, read-only) and the executors'
/// dependencies wired to it.</summary>
public sealed class KubernetesTestBed : IAsyncDisposable
{
    public const string AdminToken = "admin-token-7f3a9c";
    public const string ViewerToken = "viewer-token-1b2c3d";

    // RSA key generation is the slow part of a test PKI; one CA serves every test.
    public static readonly TestPki Pki = new();

    private readonly List<string> temporary = [];

    private KubernetesTestBed(KubeApiEmulator api, KubernetesOptions options)
    {
        Api = api;
        Connector = new KubernetesConnector(Credentials, options, TestOutbound.LoopbackAllowed);
        Credentials.Add(new Credential("kube", CredentialKind.Kubernetes, new Dictionary<string, string> { ["kubeconfig"] = Kubeconfig() }));
    }

    public KubeApiEmulator Api { get; }
    public InMemoryCredentialStore Credentials { get; } = new();
    public KubernetesConnector Connector { get; }
    public InMemoryLargeOutputStore LargeOutputs { get; } = new();
    public ExecutorContext Context => new("instance-1", "step-1", 1, NullLogger.Instance, LargeOutputs);

    public static async Task<KubernetesTestBed> StartAsync(KubernetesOptions? options = null)
    {
        var api = await KubeApiEmulator.StartAsync(Pki);
        api.AddToken(AdminToken, "admin").AddToken(ViewerToken, "viewer");
        api.Permit("viewer", (verb, _) => verb is "get" or "list" or "watch");
        return new KubernetesTestBed(api, options ?? new KubernetesOptions());
    }

    /// <summary>A kubeconfig for the emulation: by token, or by a client certificate issued to <paramref name="user"/>.</summary>
    public string Kubeconfig(string token = AdminToken, string? certificateUser = null, bool ecKey = false, string? ns = null)
    {
        string userEntry;
        if (certificateUser is not null)
        {
            var (cert, key) = Pki.IssueClient(certificateUser, ec: ecKey);
            userEntry = $"    client-certificate-data: {Base64(cert)}\n    client-key-data: {Base64(key)}";
        }
        else
        {
            userEntry = $"    token: {token}";
        }

        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: emulation
              cluster:
                server: {Api.Address.AbsoluteUri.TrimEnd('/')}
                certificate-authority-data: {Base64(Pki.CaPem)}
            users:
            - name: someone
              user:
            {userEntry}
            contexts:
            - name: emulation
              context:
                cluster: emulation
                user: someone
            {(ns is null ? "" : $"    namespace: {ns}")}
            current-context: emulation
            """;
    }

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public Task<JsonNode?> RunAsync(IExecutor executor, object inputs, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.SerializeToNode(inputs)!.AsObject();
        json["credential"] ??= "kube";
        return executor.ExecuteAsync(json, Context, cancellationToken);
    }

    /// <summary>Runs the real kubectl against the emulation with a kubeconfig file of its own.</summary>
    public async Task<(int ExitCode, string Output, string Error)> KubectlAsync(string kubeconfig, params string[] args)
    {
        var kubectl = FindKubectl()
            ?? throw new Xunit.Sdk.XunitException("kubectl is not installed: install it (Debian: apt-get install kubernetes-client) or run the suite through ./test.sh.");
        var directory = Directory.CreateTempSubdirectory("weops-kubectl-").FullName;
        temporary.Add(directory);
        var path = Path.Combine(directory, "config");
        await File.WriteAllTextAsync(path, kubeconfig);
        var start = new ProcessStartInfo(kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--kubeconfig", path, "--cache-dir", Path.Combine(directory, "cache") }.Concat(args)) start.ArgumentList.Add(arg);
        start.Environment["HOME"] = directory;
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"kubectl {string.Join(' ', args)} did not finish within 60 s.");
        }

        return (process.ExitCode, await output, await error);
    }

    public static string? FindKubectl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);

    public async ValueTask DisposeAsync()
    {
        Connector.Dispose();
        await Api.DisposeAsync();
        foreach (var directory in temporary)
        {
            try
            {
                Directory.Delete(directory, true);
            }
            catch (IOException)
            {
                // A kubectl cache file still open: the temp directory is cleaned by the system later.
            }
        }
    }
}
