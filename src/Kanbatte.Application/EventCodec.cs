using System.Text.Json;
using System.Text.Json.Nodes;
using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>
/// Turns domain events into stored envelopes and back. Every stored event carries the schema version of its type;
/// an older event is upcast, one version step at a time, into the shape the code knows before it is folded.
/// Changing an event's shape is therefore: bump its version in <see cref="SchemaVersions"/> and add the step to <see cref="Upcasters"/>.
/// </summary>
public static class EventCodec
{
    /// <summary>The current schema version of each event type; types not listed are at version 1.</summary>
    private static readonly Dictionary<string, int> SchemaVersions = new(StringComparer.Ordinal)
    {
        [EventTypes.TaskCreated] = 2,
        [EventTypes.ProjectCreated] = 2,
        [EventTypes.CommentAdded] = 2,
    };

    /// <summary>Each step reads an event's data at (type, version) and returns it at version + 1.</summary>
    private static readonly Dictionary<(string Type, int From), Func<JsonObject, EventEnvelope, JsonObject>> Upcasters = new()
    {
        // task_created 1 -> 2: tasks gained priority, assignee, labels, a due date and a rank. Old tasks get the defaults
        // a new task gets, and the rank a task created at that moment would get, which keeps their creation order.
        [(EventTypes.TaskCreated, 1)] = (data, envelope) =>
        {
            data["priority"] ??= Priorities.None;
            data["assignee"] ??= null;
            data["labels"] ??= new JsonArray();
            data["dueDate"] ??= null;
            data["rank"] ??= Ranks.Bottom(envelope.RecordedAt);
            return data;
        },
        // project_created 1 -> 2: projects gained members, the creator their first owner. A project from before users
        // existed has none; an operator gives it its first owner.
        [(EventTypes.ProjectCreated, 1)] = (data, _) => data,
        // comment_added 1 -> 2: the author became the caller, by id. An older comment keeps the name its client sent, and no id.
        [(EventTypes.CommentAdded, 1)] = (data, _) => data,
    };

    public static int SchemaVersionOf(string type) => SchemaVersions.GetValueOrDefault(type, 1);

    public static EventEnvelope Encode(string streamId, int version, IDomainEvent e, DateTimeOffset at, EventMetadata metadata)
    {
        var type = EventTypes.NameOf(e);
        return new(streamId, version, type, SchemaVersionOf(type),
            JsonSerializer.SerializeToElement(e, e.GetType(), KanbatteJson.Options), KanbatteJson.Truncate(at), metadata) { Decoded = e };
    }

    public static IDomainEvent Decode(EventEnvelope envelope)
    {
        // Encoded just now at the current schema: the event it was encoded from is what decoding its data would give.
        var current = SchemaVersionOf(envelope.Type);
        if (envelope.Decoded is { } decoded && envelope.SchemaVersion == current) return decoded;
        var data = envelope.Data;
        if (envelope.SchemaVersion < current)
        {
            var node = JsonNode.Parse(data.GetRawText())!.AsObject();
            for (var v = envelope.SchemaVersion; v < current; v++)
                node = Upcasters.TryGetValue((envelope.Type, v), out var step)
                    ? step(node, envelope)
                    : throw new InvalidOperationException($"No upcaster for {envelope.Type} from schema {v}.");
            data = JsonSerializer.SerializeToElement(node, KanbatteJson.Options);
        }
        else if (envelope.SchemaVersion > current)
        {
            throw new InvalidOperationException($"{envelope.Type} schema {envelope.SchemaVersion} is newer than this code knows ({current}).");
        }
        return (IDomainEvent)(data.Deserialize(EventTypes.TypeOf(envelope.Type), KanbatteJson.Options)
            ?? throw new JsonException($"Event {envelope.StreamId}@{envelope.Version} has no data."));
    }

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
