namespace Kanbatte.Application;

/// <summary>
/// The self-hosted server's last step of a write: when the append was not projected with its own transaction (the view
/// was behind), wake the feed projection and wait, bounded, until it has applied the write, so a client that reads
/// right after writing sees its own change.
/// </summary>
public sealed class ReadYourWrites(ProjectionProgress progress) : IAfterCommitStep
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);

    public Task AfterCommitAsync(IReadOnlyList<EventEnvelope> appended, long position, CancellationToken ct)
    {
        if (progress.Projected >= position) return Task.CompletedTask; // projected with the append itself
        progress.NotifyAppended();
        return progress.WaitForProjectedAsync(position, MaxWait, ct);
    }
}
