namespace Kanbatte.Application;

/// <summary>The append-only event log.</summary>
public interface IEventStore
{
    /// <summary>
    /// Appends events atomically. Their versions must follow <paramref name="expectedVersion"/> without gaps;
    /// throws <see cref="ConcurrencyException"/> when the stream is not at that version.
    /// Returns the global position of the last appended event (0 where the store has none).
    /// </summary>
    Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default);

    /// <summary>
    /// Appends as above and runs <paramref name="inTransaction"/>, in order, inside the append's transaction once the events
    /// are written; their after-commit actions run once it has committed, before this returns. A store that commits several
    /// appends in one transaction runs the steps once on all their events. A store without transactions takes no steps.
    /// </summary>
    Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, IReadOnlyList<IInTransactionStep> inTransaction, CancellationToken ct = default) =>
        inTransaction.Count == 0
            ? AppendAsync(streamId, expectedVersion, events, ct)
            : throw new NotSupportedException($"{GetType().Name} has no append transaction to run steps in; register them as after-commit steps.");

    /// <summary>Reads a stream in version order from <paramref name="fromVersion"/>, at most <paramref name="maxCount"/> events.</summary>
    Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string streamId, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default);

    /// <summary>
    /// One page of all events of a project's streams in the order they were appended (or newest first), recorded no later
    /// than <paramref name="until"/> when given. <paramref name="after"/> is the previous page's <see cref="EventPage.Next"/>
    /// or a board snapshot's <see cref="BoardSnapshot.Position"/>. One query within the project's data a page: where the
    /// log is partitioned by stream (Cosmos DB) it reads the project's copy of its events, kept by the change-feed
    /// projection, so it may lag appends as the view does.
    /// </summary>
    Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default);
}
