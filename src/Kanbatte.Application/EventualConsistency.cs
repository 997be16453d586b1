namespace Kanbatte.Application;

/// <summary>
/// Azure: the change feed projects in its own time; the write's response already carries the new state.
/// </summary>
public sealed class EventualConsistency : IViewConsistency
{
    public Task AppendedAsync(long position, CancellationToken ct) => Task.CompletedTask;
}
