using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WeOps.Activities.Tests.Http;

/// <summary>A request as the loopback server received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public JsonNode Json => JsonNode.Parse(BodyText) ?? throw new InvalidOperationException("The body is JSON null.");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The value of query parameter <paramref name="name"/>, URL-decoded.</summary>
    public string? QueryValue(string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query).TryGetValue(name, out var v) ? v.ToString() : null;
}

/// <summary>Kestrel on 127.0.0.1 (or another loopback address) and a free port: records every request and
/// answers with the test's handler.</summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackHttpServer(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public RecordedRequest Single() => Assert.Single(Requests);

    public static async Task<LoopbackHttpServer> StartAsync(Func<HttpContext, RecordedRequest, Task> respond, IPAddress? address = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(address ?? IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LoopbackHttpServer? server = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            var recorded = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body.ToArray());
            server!.Requests.Enqueue(recorded);
            await respond(context, recorded);
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new LoopbackHttpServer(app, new Uri(url));
        return server;
    }

    /// <summary>A server that answers every request with <paramref name="status"/> and a body.</summary>
    public static Task<LoopbackHttpServer> AnsweringAsync(int status, string body, string contentType = "application/json") =>
        StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });

    public Uri At(string pathAndQuery) => new(Url, pathAndQuery);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
