using System.Threading.Channels;

namespace Kanbatte.Application;

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
