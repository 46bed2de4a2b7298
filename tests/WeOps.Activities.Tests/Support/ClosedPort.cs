using System.Net;
using System.Net.Sockets;

namespace WeOps.Activities.Tests.Support;

/// <summary>A port on 127.0.0.1 that refuses connections for as long as this object lives: the socket is
/// bound but never listens. Releasing a port and using its number later is not enough: tests running
/// in parallel bind loopback peers on free ports, and one of them could take it and receive the
/// requests meant to be refused.</summary>
public sealed class ClosedPort : IDisposable
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedPort()
    {
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public void Dispose() => socket.Dispose();
}
