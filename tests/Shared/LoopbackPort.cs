using System.Net;
using System.Net.Sockets;

namespace Kanbatte.Testing;

/// <summary>Ports for the servers tests and benchmarks start: on loopback only, so nothing is reachable from off this machine.</summary>
public static class LoopbackPort
{
    /// <summary>A port free right now (the system picks it; it stays free unless another process takes it first).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
