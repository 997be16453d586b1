namespace Kanbatte.Application;

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
