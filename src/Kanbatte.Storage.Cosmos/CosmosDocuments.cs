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

/// <summary>
/// A view document (partition key <c>/partition</c>); <c>data</c> holds the entity so queries can filter on its fields,
/// and a task's <c>sort</c> holds its sort keys (see <see cref="TaskSortKeys"/>).
/// </summary>
internal sealed record CosmosViewItem(string Id, string Partition, string Kind, int Version, JsonElement Data, TaskSortKeys? Sort = null)
{
    public ViewDocument ToDocument() => new(Partition, Id, Kind, Version, Data.GetRawText());

    public static CosmosViewItem From(ViewDocument doc)
    {
        var data = JsonElement.Parse(doc.Json);
        return new CosmosViewItem(doc.Id, doc.Partition, doc.Kind, doc.Version, data, doc.Kind == ViewKeys.TaskKind ? TaskSortKeys.Of(data) : null);
    }
}

/// <summary>A per-project counter (partition key <c>/id</c>), incremented by an atomic Patch.</summary>
internal sealed record CosmosCounterItem(string Id, int Value);

/// <summary>A parked event (partition key <c>/streamId</c>), one per (stream, version).</summary>
internal sealed record CosmosDeadLetterItem(string Id, string StreamId, int Version, EventEnvelope Event, string Error, DateTimeOffset ParkedAt, int Attempts);

/// <summary>
/// A task's sort keys as <see cref="TaskListQuery.SortKeyOf"/> defines them, each followed by a space and the task's
/// zero-padded number: one string orders as (key, number) does, so a sorted, keyset-paged list is an ORDER BY on one
/// path (no composite index, no ORDER BY on an expression, which Cosmos DB has not).
/// </summary>
public sealed record TaskSortKeys(string Rank, string Priority, string UpdatedAt, string DueDate)
{
    public static string Compose(string key, int number) => $"{key} {number.ToString("D10", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Read from the task's JSON as stored, tolerating absent fields (they sort first).</summary>
    public static TaskSortKeys Of(JsonElement task)
    {
        var number = task.TryGetProperty("number", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : 0;
        string Text(string name) => task.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var priority = Kanbatte.Domain.Priorities.Level(Text("priority"));
        var due = Text("dueDate");
        return new TaskSortKeys(
            Compose(Text("rank"), number),
            Compose(priority < 0 ? "" : priority.ToString(System.Globalization.CultureInfo.InvariantCulture), number),
            Compose(Text("updatedAt"), number),
            Compose(due.Length == 0 ? TaskListQuery.NoDueDate : due, number));
    }

    public static string? PathOf(TaskSort sort) => sort switch
    {
        TaskSort.Rank => "c.sort.rank",
        TaskSort.Priority => "c.sort.priority",
        TaskSort.UpdatedAt => "c.sort.updatedAt",
        TaskSort.DueDate => "c.sort.dueDate",
        _ => null,
    };
}

/// <summary>An Idempotency-Key's record (partition key <c>/id</c>); the container's time to live expires it.</summary>
internal sealed record CosmosIdempotencyItem(string Id, string RequestHash, DateTimeOffset ClaimedAt, StoredResponse? Response);
