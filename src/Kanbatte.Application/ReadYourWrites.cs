namespace Kanbatte.Application;

/// <summary>
/// The self-hosted server: wakes the in-process projector and waits (bounded) until it has applied the write,
/// so a client that reads right after writing sees its own change.
/// </summary>
public sealed class ReadYourWrites(ProjectionProgress progress) : IViewConsistency
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);

    public Task AppendedAsync(long position, CancellationToken ct)
    {
        if (progress.Projected >= position) return Task.CompletedTask; // projected with the append itself
        progress.NotifyAppended();
        return progress.WaitForProjectedAsync(position, MaxWait, ct);
    }
}
