using System.IO.Compression;
using System.Net;
using System.Text;

namespace WeOps.Server.Tests;

/// <summary>The designer's files go out as the build precompressed them (brotli, gzip) to a browser that accepts
/// that encoding, as they are to one that does not, each saying it varies by Accept-Encoding; hashed assets are
/// cached for good, index.html is checked each time; the favicon needs no key.</summary>
public sealed class PrecompressedFilesTests : IAsyncLifetime
{
    private const string Script = "console.log('the designer, long enough to be worth compressing: ' + 'x'.repeat(100));";
    private const string Index = "<!doctype html><title>WeOps</title><link rel=\"icon\" href=\"/favicon.svg\">";

    private readonly string build = Path.Combine(Path.GetTempPath(), "weops-designer-build-" + Guid.NewGuid().ToString("N"));
    private RunningServer running = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(build, "assets"));
        await WriteWithVariantsAsync("index.html", Index);
        await WriteWithVariantsAsync(Path.Combine("assets", "index-abc123.js"), Script);
        await File.WriteAllTextAsync(Path.Combine(build, "favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        await File.WriteAllBytesAsync(Path.Combine(build, "favicon.ico"), [0, 0, 1, 0]);
        running = await RunningServer.StartAsync([$"--Designer:Path={build}"]);
    }

    public async Task DisposeAsync()
    {
        await running.DisposeAsync();
        Directory.Delete(build, recursive: true);
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate, br, zstd", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("*", "br")]
    [InlineData("*, br;q=0", "gzip")]
    [InlineData("identity", null)]
    [InlineData(null, null)]
    public async Task A_script_goes_out_in_the_encoding_the_browser_accepts(string? acceptEncoding, string? expected)
    {
        using var response = await GetAsync("/assets/index-abc123.js", acceptEncoding);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected is null ? [] : [expected], response.Content.Headers.ContentEncoding);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["Accept-Encoding"], response.Headers.Vary);
        Assert.Equal("public, max-age=31536000, immutable", string.Join(", ", response.Headers.GetValues("Cache-Control")));
        Assert.Equal(Script, await DecodeAsync(response, expected));
    }

    [Fact]
    public async Task Index_html_is_compressed_and_checked_again_on_every_load()
    {
        using var response = await GetAsync("/", "gzip, br");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["Accept-Encoding"], response.Headers.Vary);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(Index, await DecodeAsync(response, "br"));
    }

    [Fact]
    public async Task A_precompressed_file_asked_for_by_name_is_not_found()
    {
        using var response = await GetAsync("/assets/index-abc123.js.br", "br");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/favicon.ico", "image/x-icon")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    public async Task The_favicon_is_served_without_a_key(string path, string type)
    {
        using var response = await GetAsync(path, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        return await running.NewClient().SendAsync(request);
    }

    private async Task WriteWithVariantsAsync(string name, string text)
    {
        var path = Path.Combine(build, name);
        var bytes = Encoding.UTF8.GetBytes(text);
        await File.WriteAllBytesAsync(path, bytes);
        await using (var br = new BrotliStream(File.Create(path + ".br"), CompressionLevel.SmallestSize)) await br.WriteAsync(bytes);
        await using (var gz = new GZipStream(File.Create(path + ".gz"), CompressionLevel.SmallestSize)) await gz.WriteAsync(bytes);
    }

    private static async Task<string> DecodeAsync(HttpResponseMessage response, string? encoding)
    {
        var body = await response.Content.ReadAsStreamAsync();
        Stream decoded = encoding switch
        {
            "br" => new BrotliStream(body, CompressionMode.Decompress),
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            _ => body,
        };
        using var reader = new StreamReader(decoded, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
