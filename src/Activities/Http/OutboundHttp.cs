using WeOps.Activities.Network;

namespace WeOps.Activities.Http;

/// <summary>The one connection pool that executors use for outbound HTTP. Register it once (a
/// singleton); an HttpClient per call would exhaust sockets and never see DNS changes. Every
/// connection it opens goes through the <see cref="OutboundPolicy"/>.</summary>
public sealed class OutboundHttp : IDisposable
{
    public OutboundHttp(OutboundPolicy policy)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = policy.ConnectAsync,
            UseProxy = OutboundPolicy.UseProxy,
            // Pooled connections are renewed so that a changed DNS record is seen within minutes.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            // Redirects are followed by the caller, which refuses a change of scheme and decides
            // which headers may go along.
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            UseCookies = false,
        };
        Client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}
