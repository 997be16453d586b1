namespace Kanbatte.Application;

/// <summary>The stream moved on since it was read: the caller decides again against the new state.</summary>
public sealed class ConcurrencyException(string streamId, int expectedVersion)
    : Exception($"Stream '{streamId}' is no longer at version {expectedVersion}.")
{
    public string StreamId { get; } = streamId;
    public int ExpectedVersion { get; } = expectedVersion;
}

/// <summary>The append-only event log.</summary>
public interface IEventStore
{
    /// <summary>
    /// Appends events atomically. Their versions must follow <paramref name="expectedVersion"/> without gaps;
    /// throws <see cref="ConcurrencyException"/> when the stream is not at that version.
    /// Returns the global position of the last appended event (0 where the store has none).
    /// </summary>
    Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default);

    /// <summary>Reads a stream in version order from <paramref name="fromVersion"/>, at most <paramref name="maxCount"/> events.</summary>
    Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string streamId, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default);

    /// <summary>
    /// One page of all events of a project's streams in the order they were appended (or newest first), recorded no later
    /// than <paramref name="until"/> when given. <paramref name="after"/> is the previous page's <see cref="EventPage.Next"/>.
    /// </summary>
    Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default);
}

/// <summary>A page of events and the store's opaque position after it (null on the last page).</summary>
public sealed record EventPage(IReadOnlyList<EventEnvelope> Events, string? Next);

/// <summary>A project's tasks as they were at one point of its history (a store position and its time).</summary>
public sealed record BoardSnapshot(string ProjectKey, string Position, DateTimeOffset At, IReadOnlyList<string> TasksJson);

/// <summary>Periodic copies of a project's tasks, so that a board as of any time folds a bounded number of events.</summary>
public interface ISnapshotStore
{
    /// <summary>The latest snapshot holding only events recorded at or before <paramref name="at"/>, or null.</summary>
    Task<BoardSnapshot?> LatestAsync(string projectKey, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>
    /// Called by the feed projection once <paramref name="projected"/> is in the view and before its checkpoint:
    /// takes a snapshot of each project in the batch that has had enough events since its last one.
    /// </summary>
    Task CaptureAsync(IReadOnlyList<EventEnvelope> projected, CancellationToken ct = default);
}

/// <summary>One ordered feed of all events, read from a resumable position. Stores with a change feed of their own do not need it.</summary>
public interface IEventFeed
{
    Task<IReadOnlyList<EventEnvelope>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken ct = default);
}

/// <summary>Where a feed consumer durably records how far it got.</summary>
public interface ICheckpointStore
{
    Task<long> GetAsync(string consumer, CancellationToken ct = default);
    Task SaveAsync(string consumer, long position, CancellationToken ct = default);
}

/// <summary>Per-project counters that hand out task and comment numbers: unique under concurrency, gaps allowed.</summary>
public interface ICounterStore
{
    Task<int> NextAsync(string projectKey, string counter, CancellationToken ct = default);
}

/// <summary>One document per entity holding its current state, as JSON, and the stream version it reflects.</summary>
public sealed record ViewDocument(string Partition, string Id, string Kind, int Version, string Json);

/// <summary>A write to the view: an upsert of <see cref="Document"/>, or a delete of (Partition, Id) when it is null.</summary>
public sealed record ViewChange(string Partition, string Id, ViewDocument? Document);

public enum TaskSort { Number, Rank, Priority, UpdatedAt, DueDate }

/// <summary>
/// A page of a project's tasks. Lists are keyset-paged on (sort key, number): <see cref="AfterValue"/> is the sort key
/// of the last item already seen (unused when sorting by number) and <see cref="AfterNumber"/> its number (0: first page).
/// Sort keys are strings that order as the sort does: rank; priority level 0-4; updatedAt as UTC ISO text;
/// dueDate as yyyy-MM-dd with no date sorting last (as 9999-12-31).
/// </summary>
public sealed record TaskListQuery(string ProjectKey, IReadOnlyList<string> Statuses, int AfterNumber, int Limit)
{
    public IReadOnlyList<string> Priorities { get; init; } = [];
    public string? Assignee { get; init; }
    public string? Label { get; init; }
    public bool Archived { get; init; }
    /// <summary>Text the title contains, compared case-insensitively.</summary>
    public string? Text { get; init; }
    public TaskSort Sort { get; init; } = TaskSort.Number;
    public bool Descending { get; init; }
    public string? AfterValue { get; init; }

    public bool HasCursor => AfterNumber > 0 || AfterValue is not null;

    public const string NoDueDate = "9999-12-31";

    /// <summary>The sort key of a task, as stores compare it.</summary>
    public static string? SortKeyOf(Kanbatte.Domain.TaskState task, TaskSort sort) => sort switch
    {
        TaskSort.Rank => task.Rank,
        TaskSort.Priority => Kanbatte.Domain.Priorities.Level(task.Priority).ToString(System.Globalization.CultureInfo.InvariantCulture),
        TaskSort.UpdatedAt => KanbatteJson.Format(task.UpdatedAt),
        TaskSort.DueDate => task.DueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? NoDueDate,
        _ => null,
    };
}

/// <summary>The view: point reads, the projector's writes and the queries lists need. Every list is keyset-paged.</summary>
public interface IViewStore
{
    Task<ViewDocument?> GetAsync(string partition, string id, CancellationToken ct = default);

    /// <summary>Applies the changes in order; where the store allows it, all at once.</summary>
    Task WriteAsync(IReadOnlyList<ViewChange> changes, CancellationToken ct = default);

    Task<IReadOnlyList<ViewDocument>> ListProjectsAsync(string? afterKey, int limit, CancellationToken ct = default);

    Task<IReadOnlyList<ViewDocument>> ListTasksAsync(TaskListQuery query, CancellationToken ct = default);

    /// <summary>How many tasks each status column holds (archived tasks left out).</summary>
    Task<IReadOnlyDictionary<string, int>> CountTasksByStatusAsync(string projectKey, CancellationToken ct = default);

    Task<IReadOnlyList<ViewDocument>> ListCommentsAsync(string projectKey, string taskId, int afterNumber, int limit, CancellationToken ct = default);
}

/// <summary>Argument checks every event store applies before it appends.</summary>
public static class EventStoreGuards
{
    public static void CheckAppend(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        if (events.Count == 0) throw new ArgumentException("Nothing to append.", nameof(events));
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].StreamId != streamId) throw new ArgumentException($"Event {i} belongs to stream '{events[i].StreamId}', not '{streamId}'.", nameof(events));
            if (events[i].Version != expectedVersion + 1 + i) throw new ArgumentException($"Event {i} has version {events[i].Version}; expected {expectedVersion + 1 + i}.", nameof(events));
        }
    }
}
