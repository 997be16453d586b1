using System.Threading.Channels;

namespace Kanbatte.Application;

/// <summary>
/// The self-hosted server's notifications, in process: the projections publish the projects they changed, and the
/// server's hub sender takes them from <see cref="Reader"/>. Publishing never waits; when the sender falls far behind,
/// the oldest notifications are dropped, which costs a client only latency (it pulls the changes feed anyway).
/// </summary>
public sealed class ProjectNotifications : IChangeNotifier
{
    private readonly Channel<ProjectChanged> _queue = Channel.CreateBounded<ProjectChanged>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<ProjectChanged> Reader => _queue.Reader;

    public void Publish(IEnumerable<ProjectChanged> changed)
    {
        foreach (var c in changed) _queue.Writer.TryWrite(c);
    }

    public Task NotifyAsync(IReadOnlyList<ProjectChanged> changed, CancellationToken ct = default)
    {
        Publish(changed);
        return Task.CompletedTask;
    }
}
