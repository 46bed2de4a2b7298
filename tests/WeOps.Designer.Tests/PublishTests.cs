using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace WeOps.Designer.Tests;

/// <summary>'dotnet publish src/Server' gives one deployable: the published server, started from another directory
/// with no Designer:Path, serves the designer at / (ADR 0028) and loads the shipped processes at its first start.</summary>
public sealed class PublishTests(ITestOutputHelper output) : IDisposable
{
    private const string AdminKey = "publish-tests-admin-key-0123456789";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "weops-publish-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_published_server_serves_the_designer_at_the_root()
    {
        var published = Path.Combine(folder, "published");
        var work = Path.Combine(folder, "work");
        Directory.CreateDirectory(work);
        // The tests' build has built the server already: only the publish step runs, the designer's build with it.
        var publish = await RunAsync("dotnet", ["publish", Path.Combine(Repository.Root, "src", "Server"), "-c", "Release", "--no-build", "-nologo", "-o", published], Repository.Root);
        Assert.True(publish.ExitCode == 0, publish.Output);
        Assert.True(File.Exists(Path.Combine(published, "designer", "index.html")), publish.Output);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(published, "designer", "assets"), "*.js.br"));

        var port = FreePort();
        using var server = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(published, "WeOps.Server.dll"), "--urls", $"http://127.0.0.1:{port}",
                $"--ConnectionStrings:WeOps=Data Source={Path.Combine(work, "data", "weops.db")}",
                $"--Credentials:MasterKeyFile={Path.Combine(work, "data", "master.key")}",
                $"--Workflows:Path={Path.Combine(Repository.Root, "workflows")}",
                $"--Auth:AdminApiKey={AdminKey}",
            },
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        server.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilReadyAsync(http, server, log);

            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
            using var page = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(["br"], page.Content.Headers.ContentEncoding);
            using (var reader = new StreamReader(new BrotliStream(await page.Content.ReadAsStreamAsync(), CompressionMode.Decompress)))
                Assert.Contains("<div id=\"app\"></div>", await reader.ReadToEndAsync());

            using var favicon = await http.GetAsync("/favicon.ico");
            Assert.Equal(HttpStatusCode.OK, favicon.StatusCode);

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            Assert.Contains("\"hello-approval\"", await http.GetStringAsync("/api/definitions"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            output.WriteLine(string.Join("\n", log));
        }
    }

    private static async Task WaitUntilReadyAsync(HttpClient http, Process server, IEnumerable<string> log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(server.HasExited, "The published server stopped:\n" + string.Join("\n", log));
            try
            {
                using var ready = await http.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        Assert.Fail("The published server was not ready within 90 s:\n" + string.Join("\n", log));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string directory)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
