using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Server;

/// <summary>
/// Takes the board snapshots that are due (<see cref="SqliteSnapshotStore"/>) every few seconds, in the background:
/// a snapshot of a large project is many rows, written a chunk at a time between the writers' turns, never in them.
/// </summary>
public sealed class SnapshotService(SqliteSnapshotStore snapshots, ILogger<SnapshotService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await snapshots.CaptureAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Snapshots are derived data: time travel folds more events until the next pass takes them.
                    logger.LogWarning(e, "Taking board snapshots failed; trying again in {Interval}", Interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
