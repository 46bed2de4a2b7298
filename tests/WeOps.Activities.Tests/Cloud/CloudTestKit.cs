using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Tests.Cloud;

/// <summary>An HTTP peer on 127.0.0.1 with a random port, answering with <c>handler</c>.</summary>
public sealed class LoopbackPeer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackPeer(WebApplication app, Uri endpoint)
    {
        this.app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>How many requests reached the peer.</summary>
    public int Requests => requests;

    private int requests;

    public static async Task<LoopbackPeer> StartAsync(Func<HttpContext, byte[], Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LoopbackPeer? peer = null;
        app.Run(async context =>
        {
            Interlocked.Increment(ref peer!.requests);
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            await handler(context, body.ToArray());
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        peer = new LoopbackPeer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>A clock pinned to one instant, so signatures and timestamps are predictable.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

public static class ExecutorRun
{
    public static ExecutorContext Context() =>
        new("instance-1", "step-1", 1, NullLogger.Instance, new InMemoryLargeOutputStore());

    public static Task<JsonNode?> RunAsync(IExecutor executor, JsonObject inputs, CancellationToken cancellationToken = default) =>
        executor.ExecuteAsync(inputs, Context(), cancellationToken);

    public static async Task WriteAsync(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    }
}
