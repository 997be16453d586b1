namespace Kanbatte.Application;

/// <summary>
/// Periodic copies of a project's tasks, so that a board as of any time folds a bounded number of events. Each store
/// takes them its own way, outside any writer's path: the server's SnapshotService (SqliteSnapshotStore.CaptureAsync),
/// the Cosmos DB change-feed projection (CosmosSnapshotStore.CaptureAsync).
/// </summary>
public interface ISnapshotStore
{
    /// <summary>The latest snapshot holding only events recorded at or before <paramref name="at"/>, or null.</summary>
    Task<BoardSnapshot?> LatestAsync(string projectKey, DateTimeOffset at, CancellationToken ct = default);
}
