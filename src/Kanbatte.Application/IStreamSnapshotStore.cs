namespace Kanbatte.Application;

/// <summary>
/// A stream's folded state at a version, encoded by its fold (<see cref="StreamFold{TState}.Snapshot"/>) under a schema
/// name that changes whenever the state's shape or its fold does, so a snapshot written by other code is never decoded.
/// </summary>
public sealed record StreamSnapshot(string StreamId, int Version, string Schema, string State);

/// <summary>
/// Where <see cref="StreamSnapshots"/> keeps stream snapshots. They are derived from the log like the view, and only
/// ever a shortcut: a snapshot at any version is the fold of the events up to it, so losing one, or keeping an older one,
/// costs a load more events to read, never a wrong decision.
/// </summary>
public interface IStreamSnapshotStore
{
    /// <summary>The stream's snapshot, or null.</summary>
    Task<StreamSnapshot?> ReadAsync(string streamId, CancellationToken ct = default);

    /// <summary>Keeps each snapshot unless its stream already has one at a later version under the same schema.</summary>
    Task WriteAsync(IReadOnlyCollection<StreamSnapshot> snapshots, CancellationToken ct = default);
}
