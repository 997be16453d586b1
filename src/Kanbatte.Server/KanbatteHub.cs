using Microsoft.AspNetCore.SignalR;

namespace Kanbatte.Server;

/// <summary>
/// The push channel at <c>/api/hub</c>: clients only listen, for <c>changed</c> (see <see cref="HubNotifier"/>), and
/// call nothing. Connections are authenticated with the API's bearer token and end when it expires.
/// </summary>
public sealed class KanbatteHub(HubConnections connections) : Hub
{
    public override Task OnConnectedAsync()
    {
        connections.Opened();
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Closed();
        return base.OnDisconnectedAsync(exception);
    }
}
