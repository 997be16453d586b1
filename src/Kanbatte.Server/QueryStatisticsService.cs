using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Server;

/// <summary>
/// Keeps SQLite's query planner statistics current as projects grow (<see cref="SqliteDatabase.OptimizeAsync"/>): a
/// check every minute that does nothing until a table has grown about tenfold since its statistics were gathered.
/// </summary>
public sealed class QueryStatisticsService(SqliteDatabase db, ILogger<QueryStatisticsService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await db.OptimizeAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The plans of the statistics gathered before stay in use meanwhile.
                    logger.LogWarning(e, "Gathering query planner statistics failed; trying again in {Interval}", Interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
