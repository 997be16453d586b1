using System.Text.Json;
using Kanbatte.Application;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// One event in the <c>event_log</c> container (partition key <c>/streamId</c>). The id is derived from stream and
/// version, so a second writer of the same version gets 409. Also the shape the change-feed trigger delivers.
/// </summary>
public sealed record CosmosEventDocument(
    string Id,
    string StreamId,
    int Version,
    string Type,
    int SchemaVersion,
    JsonElement Data,
    DateTimeOffset RecordedAt,
    EventMetadata Metadata,
    string ProjectKey,
    string Seq)
{
    /// <summary>
    /// A project's events in recorded order, as one sortable string: the recorded time, then stream and version to break
    /// ties. One field, so ordering and keyset paging across a project's streams need no composite index.
    /// </summary>
    public static string SeqOf(EventEnvelope e) =>
        $"{KanbatteJson.Format(e.RecordedAt)} {e.StreamId} {e.Version.ToString("D10", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>
    /// A bound in <see cref="SeqOf"/> order right after every event recorded at or before <paramref name="time"/> (to the
    /// millisecond, as times are kept) and before every later one: the time, a space, then '~', which sorts after every
    /// character of a stream id (letters, digits, ':' and '-').
    /// </summary>
    public static string SeqBound(DateTimeOffset time) => $"{KanbatteJson.Format(time)} ~";

    /// <summary><c>{streamId}|{version}</c>: stream ids hold only letters, digits, ':' and '-', none of Cosmos DB's forbidden id characters.</summary>
    public static string IdOf(string streamId, int version) => $"{streamId}|{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static CosmosEventDocument From(EventEnvelope e) =>
        new(IdOf(e.StreamId, e.Version), e.StreamId, e.Version, e.Type, e.SchemaVersion, e.Data, e.RecordedAt, e.Metadata, e.ProjectKey, SeqOf(e));

    /// <summary>
    /// The envelope as written. The service may re-escape the data's strings (a JSON-equal text), so the data is
    /// re-serialized the way <see cref="EventCodec"/> serialized it, giving back the very text that was appended.
    /// </summary>
    public EventEnvelope ToEnvelope() =>
        new(StreamId, Version, Type, SchemaVersion, JsonSerializer.SerializeToElement(Data, KanbatteJson.Options), RecordedAt, Metadata);
}
