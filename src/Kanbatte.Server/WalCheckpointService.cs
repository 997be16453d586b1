using Kanbatte.Api;
using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Server;

/// <summary>
/// Checkpoints the SQLite WAL every half second, beside the writers instead of inside one of their commits (see
/// <see cref="SqliteOptions.BackgroundCheckpoints"/>), so a write never waits for the WAL to be copied into the database.
/// If it fails, the writer's own checkpoint past <see cref="SqliteDatabase.SafetyNetCheckpointPages"/> (four times its bound) keeps the WAL bounded.
/// </summary>
public sealed class WalCheckpointService(SqliteDatabase db, ILogger<WalCheckpointService> logger)
    : PeriodicService(TimeSpan.FromMilliseconds(500), logger)
{
    protected override Task RunOnceAsync(CancellationToken ct) => db.CheckpointAsync(ct);
}
