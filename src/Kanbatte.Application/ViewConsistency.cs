using System.Threading.Channels;

namespace Kanbatte.Application;

/// <summary>What a write does once its events are in the log, before it answers the client.</summary>
public interface IViewConsistency
{
    Task AppendedAsync(long position, CancellationToken ct);
}

/// <summary>
/// Azure: the change feed projects in its own time; the write's response already carries the new state.
/// </summary>
public sealed class EventualConsistency : IViewConsistency
{
    public Task AppendedAsync(long position, CancellationToken ct) => Task.CompletedTask;
}

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

/// <summary>Signals between writers and the in-process projector.</summary>
public sealed class ProjectionProgress
{
    private readonly Channel<bool> _appended = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _projected;

    public long Projected => Volatile.Read(ref _projected);

    public void NotifyAppended() => _appended.Writer.TryWrite(true);

    /// <summary>Waits until something was appended, or the timeout passes (so other writers of the same file are picked up too).</summary>
    public async Task WaitForAppendAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try { await _appended.Reader.WaitToReadAsync(cts.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        _appended.Reader.TryRead(out _);
    }

    /// <summary>Records that the view holds everything up to <paramref name="position"/>; it never moves back.</summary>
    public void ReportProjected(long position)
    {
        for (var seen = Volatile.Read(ref _projected); seen < position; seen = Volatile.Read(ref _projected))
            if (Interlocked.CompareExchange(ref _projected, position, seen) == seen) break;
        Interlocked.Exchange(ref _advanced, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>True when the projector reached <paramref name="position"/> within the timeout.</summary>
    public async Task<bool> WaitForProjectedAsync(long position, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var advanced = Volatile.Read(ref _advanced); // taken before the check, so a report in between is not missed
            if (Projected >= position) return true;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return false;
            try { await advanced.Task.WaitAsync(left, ct); }
            catch (TimeoutException) { return Projected >= position; }
        }
    }
}
