using Kanbatte.Application;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Api;

/// <summary>
/// Writes the stream snapshots the write pipeline offered (<see cref="StreamSnapshots"/>) every second, in one batch, so
/// no command waits for one; and the last ones when the host stops. Both hosts run it, on either store. One that fails
/// to be written costs a load a few more events to read until the next pass writes it.
/// </summary>
public sealed class StreamSnapshotService(StreamSnapshots snapshots, ILogger<StreamSnapshotService> logger)
    : PeriodicService(TimeSpan.FromSeconds(1), logger)
{
    protected override Task RunOnceAsync(CancellationToken ct) => snapshots.FlushAsync(ct);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await snapshots.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A shortcut lost, not data: the host stops all the same (as a failed pass is logged, not thrown).
            logger.LogWarning(e, "The last {Count} stream snapshots could not be written as the host stopped", snapshots.Pending);
        }
    }
}
