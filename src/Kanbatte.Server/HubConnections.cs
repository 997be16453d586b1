namespace Kanbatte.Server;

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
