using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Server;

/// <summary>
/// Checkpoints the SQLite WAL every half second, beside the writers instead of inside one of their commits (see
/// <see cref="SqliteOptions.BackgroundCheckpoints"/>), so a write never waits for the WAL to be copied into the database.
/// </summary>
public sealed class WalCheckpointService(SqliteDatabase db, ILogger<WalCheckpointService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await db.CheckpointAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The writer's own checkpoint past SqliteDatabase.SafetyNetCheckpointPages keeps the WAL bounded meanwhile.
                    logger.LogWarning(e, "WAL checkpoint failed; trying again in {Interval}", Interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
