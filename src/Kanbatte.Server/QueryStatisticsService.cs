using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Server;

/// <summary>
/// Keeps SQLite's query planner statistics current as projects grow (<see cref="SqliteDatabase.OptimizeAsync"/>): a
/// check every minute that does nothing until a table has grown about tenfold since its statistics were gathered. If it
/// fails, the plans of the statistics gathered before stay in use.
/// </summary>
public sealed class QueryStatisticsService(SqliteDatabase db, ILogger<QueryStatisticsService> logger)
    : PeriodicService(TimeSpan.FromMinutes(1), logger)
{
    protected override Task RunOnceAsync(CancellationToken ct) => db.OptimizeAsync(ct);
}
