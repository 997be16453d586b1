namespace Kanbatte.Application;

/// <summary>An event the projector could not apply, kept with the error until a re-drive applies it.</summary>
public sealed record DeadLetter(EventEnvelope Event, string Error, DateTimeOffset ParkedAt, int Attempts);

/// <summary>A parked event's place in the list (stream, then version): where a page ended and the next begins.</summary>
public sealed record DeadLetterKey(string StreamId, int Version);

/// <summary>
/// The durable place for events the projector failed on, so a failing event is never lost and never blocks the feed.
/// One entry per (stream, version): parking the same event again records the new error and counts the attempt.
/// </summary>
public interface IDeadLetterStore
{
    Task ParkAsync(EventEnvelope e, string error, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>
    /// At most <paramref name="limit"/> parked events ordered by stream, then version: those after <paramref name="after"/>,
    /// or from the first when it is null (keyset paging: a page costs its size, whatever is parked).
    /// </summary>
    Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, DeadLetterKey? after = null, CancellationToken ct = default);

    /// <summary>Removes an entry; removing one that is not there is not an error.</summary>
    Task RemoveAsync(string streamId, int version, CancellationToken ct = default);

    /// <summary>How many events are parked now (for the operator's gauge).</summary>
    Task<long> CountAsync(CancellationToken ct = default);
}

/// <summary>
/// Store errors worth retrying rather than parking (throttling, timeouts, a busy file): they end the batch with an
/// exception so the host's retry (or the feed's checkpoint) delivers it again. Each store registration supplies one.
/// </summary>
public interface ITransientErrorPolicy
{
    bool IsTransient(Exception e);
}

/// <summary>Applies a batch of events to the view.</summary>
public interface IBatchProjection
{
    Task ProjectAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken ct = default);
}
