using System.Globalization;
using System.Text.Json;
using Kanbatte.Application;

namespace Kanbatte.Storage.Cosmos;

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
