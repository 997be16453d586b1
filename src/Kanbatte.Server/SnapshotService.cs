using Kanbatte.Api;
using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Server;

/// <summary>
/// Takes the board snapshots that are due (<see cref="SqliteSnapshotStore"/>) every 2 s, in the background, into their
/// own file: the writers never wait for one. One that fails costs time travel a few more events to fold until the next
/// pass takes it.
/// </summary>
public sealed class SnapshotService(SqliteSnapshotStore snapshots, ILogger<SnapshotService> logger)
    : PeriodicService(TimeSpan.FromSeconds(2), logger)
{
    protected override Task RunOnceAsync(CancellationToken ct) => snapshots.CaptureAsync(ct);
}
