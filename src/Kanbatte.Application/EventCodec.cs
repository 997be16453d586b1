using System.Text.Json;
using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>Turns domain events into stored envelopes and back.</summary>
public static class EventCodec
{
    public const int CurrentSchemaVersion = 1;

    public static EventEnvelope Encode(string streamId, int version, IDomainEvent e, DateTimeOffset at, EventMetadata metadata) =>
        new(streamId, version, EventTypes.NameOf(e), CurrentSchemaVersion,
            JsonSerializer.SerializeToElement(e, e.GetType(), KanbatteJson.Options), KanbatteJson.Truncate(at), metadata);

    public static IDomainEvent Decode(EventEnvelope envelope) =>
        (IDomainEvent)(envelope.Data.Deserialize(EventTypes.TypeOf(envelope.Type), KanbatteJson.Options)
            ?? throw new JsonException($"Event {envelope.StreamId}@{envelope.Version} has no data."));

    public static ProjectState? FoldProject(IEnumerable<EventEnvelope> events, ProjectState? state = null)
    {
        foreach (var e in events) state = ProjectDecider.Evolve(state, Decode(e), e.Version, e.RecordedAt);
        return state;
    }

    public static TaskState? FoldTask(IEnumerable<EventEnvelope> events, TaskState? state = null)
    {
        foreach (var e in events) state = TaskDecider.Evolve(state, Decode(e), e.Version, e.RecordedAt);
        return state;
    }
}
