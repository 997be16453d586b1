namespace Kanbatte.Application;

/// <summary>Periodic copies of a project's tasks, so that a board as of any time folds a bounded number of events.</summary>
public interface ISnapshotStore
{
    /// <summary>The latest snapshot holding only events recorded at or before <paramref name="at"/>, or null.</summary>
    Task<BoardSnapshot?> LatestAsync(string projectKey, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>
    /// Called by the feed projection once <paramref name="projected"/> is in the view and before its checkpoint (SQLite),
    /// or by the change-feed projection after the project log's copy (Cosmos DB): takes a snapshot of each project in the
    /// batch that has had enough events since its last one.
    /// </summary>
    Task CaptureAsync(IReadOnlyList<EventEnvelope> projected, CancellationToken ct = default);
}
