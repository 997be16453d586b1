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

/// <summary>
/// How many connections the hub has open. With none, <see cref="HubNotifier"/> has no one to tell and skips making the
/// message (the members, the journal's epoch, a signed cursor): under a write load that was work on every group commit.
/// </summary>
public sealed class HubConnections
{
    private int _open;

    public bool Any => Volatile.Read(ref _open) > 0;

    public void Opened() => Interlocked.Increment(ref _open);

    public void Closed() => Interlocked.Decrement(ref _open);
}
