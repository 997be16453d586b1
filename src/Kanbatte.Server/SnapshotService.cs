using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Server;

/// <summary>
/// Takes the board snapshots that are due (<see cref="SqliteSnapshotStore"/>) every 2 s, in the background: a snapshot of
/// a large project is many rows, written a chunk at a time between the writers' turns, never in them. One that fails
/// costs time travel a few more events to fold until the next pass takes it.
/// </summary>
public sealed class SnapshotService(SqliteSnapshotStore snapshots, ILogger<SnapshotService> logger)
    : PeriodicService(TimeSpan.FromSeconds(2), logger)
{
    protected override Task RunOnceAsync(CancellationToken ct) => snapshots.CaptureAsync(ct);
}
