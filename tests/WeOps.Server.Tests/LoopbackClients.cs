using System.Net;
using System.Net.Sockets;

namespace WeOps.Server.Tests;

/// <summary>HTTP clients whose connections come from a loopback address of their own (any of 127.0.0.0/8 reaches
/// a server listening on 127.0.0.1), so that the server sees one client address per test: counts kept per
/// address do not carry from one test to the next.</summary>
public static class LoopbackClients
{
    /// <summary>A loopback address other than 127.0.0.1, different at each call with near certainty.</summary>
    public static IPAddress NewAddress() =>
        new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);

    /// <summary>A client of <paramref name="server"/> whose connections come from <paramref name="from"/>.</summary>
    public static HttpClient From(IPAddress from, Uri server) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
}
