using System.Globalization;
using System.Text.Json;
using Kanbatte.Application;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// A view document (partition key <c>/partition</c>); <c>data</c> holds the entity so queries can filter on its fields,
/// and a task's <c>sort</c> holds its sort keys (see <see cref="TaskSortKeys"/>). A deleted document stays as a
/// tombstone of kind <see cref="TombstoneKind"/> at the delete's version (see <see cref="CosmosViewStore"/>).
/// </summary>
internal sealed record CosmosViewItem(string Id, string Partition, string Kind, int Version, JsonElement Data, TaskSortKeys? Sort = null)
{
    /// <summary>No query asks for this kind, and a point read of one answers "not there".</summary>
    public const string TombstoneKind = "deleted";

    /// <summary>A marker the changes feed writes before it lists a project (see <see cref="CosmosViewStore.FenceProjectAsync"/>); no query asks for it.</summary>
    public const string FenceKind = "fence";

    private static readonly JsonElement Nothing = JsonElement.Parse("{}");

    public bool IsTombstone => Kind == TombstoneKind;

    public ViewDocument ToDocument() => new(Partition, Id, Kind, Version, Data.GetRawText());

    public static CosmosViewItem Tombstone(ViewChange delete) => new(delete.Id, delete.Partition, TombstoneKind, delete.Version, Nothing);

    public static CosmosViewItem Fence(string partition, string id) => new(id, partition, FenceKind, 0, Nothing);

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

/// <summary>An Idempotency-Key's record (partition key <c>/id</c>); the container's time to live expires it.</summary>
internal sealed record CosmosIdempotencyItem(string Id, string RequestHash, DateTimeOffset ClaimedAt, StoredResponse? Response);

/// <summary>A project's journal counter (id <c>seq</c>): the last entry number handed out.</summary>
internal sealed record CosmosJournalCounter(string Id, string ProjectKey, string Kind, long Value)
{
    public const string CounterKind = "counter";
}

/// <summary>One journal entry (id from its number, so a number is created once); <c>ttl</c> expires it.</summary>
internal sealed record CosmosJournalEntry(string Id, string ProjectKey, string Kind, long Seq, DateTimeOffset At, IReadOnlyList<EntityChange> Changes, int Ttl)
{
    public const string EntryKind = "entry";

    public static string IdOf(long seq) => "e" + seq.ToString("D19", CultureInfo.InvariantCulture);

    public JournalEntry ToEntry() => new(Seq, At, Changes);
}

/// <summary>
/// A project's copy of one of its events in the project log (partition key <c>/projectKey</c>), with the id the event has
/// in the event log (<c>{streamId}|{version}</c>), so copying it again creates nothing.
/// </summary>
internal sealed record CosmosProjectEventItem(
    string Id, string ProjectKey, string Kind, string Seq, string StreamId, int Version, string Type, int SchemaVersion,
    JsonElement Data, DateTimeOffset RecordedAt, EventMetadata Metadata)
{
    public const string EventKind = "event";

    public static CosmosProjectEventItem From(EventEnvelope e) =>
        new(CosmosEventDocument.IdOf(e.StreamId, e.Version), e.ProjectKey, EventKind, CosmosEventDocument.SeqOf(e),
            e.StreamId, e.Version, e.Type, e.SchemaVersion, e.Data, e.RecordedAt, e.Metadata);

    /// <summary>The envelope as appended (the data re-serialized as <see cref="CosmosEventDocument.ToEnvelope"/> does).</summary>
    public EventEnvelope ToEnvelope() =>
        new(StreamId, Version, Type, SchemaVersion, JsonSerializer.SerializeToElement(Data, KanbatteJson.Options), RecordedAt, Metadata);
}

/// <summary>The highest bound a board snapshot of the project was announced up to (id <c>snapshot-frontier</c>).</summary>
internal sealed record CosmosSnapshotFrontier(string Id, string ProjectKey, string Kind, string Frontier)
{
    public const string FrontierId = "snapshot-frontier";
    public const string FrontierKind = "snapshot-frontier";
}

/// <summary>
/// One document of a board snapshot: the head (kind <c>snapshot</c> once verified, <c>snapshot-pending</c> before) holds
/// the first part of the tasks and how many parts there are; other parts (<c>snapshot-part</c>) name their head.
/// <c>seq</c> is the position: the <see cref="CosmosEventDocument.SeqOf"/> of the last event folded in.
/// </summary>
internal sealed record CosmosSnapshotItem(
    string Id, string ProjectKey, string Kind, string Seq, string Snapshot, int Part, int Parts, long Events, int TaskCount,
    DateTimeOffset At, IReadOnlyList<JsonElement> Tasks)
{
    public const string HeadKind = "snapshot";
    public const string PendingKind = "snapshot-pending";
    public const string PartKind = "snapshot-part";
}

/// <summary>A stream's snapshot (<see cref="CosmosStreamSnapshotStore"/>): id <c>stream-snapshot|{streamId}</c>, in its project's partition.</summary>
internal sealed record CosmosStreamSnapshotItem(string Id, string ProjectKey, string Kind, string StreamId, int Version, string Schema, string State)
{
    public const string StreamSnapshotKind = "stream-snapshot";

    public static string IdOf(string streamId) => "stream-snapshot|" + streamId;
}
