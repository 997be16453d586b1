using System.Text.Json;
using System.Text.Json.Serialization;
using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>
/// One event as stored in the log. Version counts 1, 2, 3 ... per stream; Position is the store's global order
/// (the SQLite sequence; 0 where the store has no such number, as in Cosmos DB where the change feed orders per partition).
/// </summary>
public sealed record EventEnvelope(
    string StreamId,
    int Version,
    string Type,
    int SchemaVersion,
    JsonElement Data,
    DateTimeOffset RecordedAt,
    EventMetadata Metadata,
    long Position = 0)
{
    /// <summary>
    /// The domain event this envelope was encoded from, on an envelope made by <see cref="EventCodec.Encode"/> (null on
    /// one read from a store). A write's own fold and inline projection decode it from here instead of from
    /// <see cref="Data"/> again: the events are immutable records of strings, numbers, dates and lists, which the JSON
    /// round trip returns unchanged (a unit test holds every event type to that). Never stored.
    /// </summary>
    [JsonIgnore]
    public IDomainEvent? Decoded { get; init; }

    /// <summary>The project every stream belongs to: <c>project:AI</c> and <c>task:AI-001</c> both belong to AI.</summary>
    public string ProjectKey => ProjectKeyOf(StreamId);

    public static string ProjectKeyOf(string streamId)
    {
        var id = streamId[(streamId.IndexOf(':') + 1)..];
        var dash = id.IndexOf('-');
        return dash < 0 ? id : id[..dash];
    }
}
