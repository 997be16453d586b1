using System.Text.Json;

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
    /// <summary>The project every stream belongs to: <c>project:AI</c> and <c>task:AI-001</c> both belong to AI.</summary>
    public string ProjectKey => ProjectKeyOf(StreamId);

    public static string ProjectKeyOf(string streamId)
    {
        var id = streamId[(streamId.IndexOf(':') + 1)..];
        var dash = id.IndexOf('-');
        return dash < 0 ? id : id[..dash];
    }
}
