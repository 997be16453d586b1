using System.Globalization;
using System.Net;
using System.Text.Json;
using Kanbatte.Application;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// The changes journal in the <c>changes</c> container, partitioned by project, so writing and reading a project's
/// journal are single-partition. Cosmos DB has no commit-ordered sequence (several projector instances append to one
/// project at once), so numbers are handed out first, by an atomic Patch increment of the project's counter document,
/// and the entry is created with its number as id afterwards. Two entries never share a number, but one may become
/// visible before a smaller one: readers therefore read only the run without a gap (<see cref="ReadAsync"/>).
/// <para>
/// A number whose writer died between taking it and creating the entry would stop every reader there, so a reader that
/// finds a gap behind an entry older than <see cref="Grace"/> fills it with an empty entry. That is safe whatever the
/// timing: entries are created, never replaced, so either the writer's entry or the filler exists, and a writer that
/// finds its number taken takes another. What the dead writer had written to the view is told again when its batch is
/// delivered again (see <see cref="Projector"/>). Entries expire through the container's time to live.
/// </para>
/// </summary>
public sealed class CosmosChangeJournal(CosmosContainers containers, ChangesOptions options, TimeProvider clock) : IChangeJournal
{
    /// <summary>How long a gap may wait for its writer before a reader fills it.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <summary>Bound on an entry's changes (the item limit is 2 MB): larger batches take several entries.</summary>
    public const int MaxEntryBytes = 512 * 1024;

    private const string CounterId = "seq";
    private static readonly PatchOperation[] Increment = [PatchOperation.Increment("/value", 1)];
    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };

    private Container Changes => containers.Changes;

    public async Task<string> EpochAsync(CancellationToken ct = default) => await containers.ActiveView.EpochAsync(ct);

    public async Task<long> AppendAsync(string projectKey, IReadOnlyList<EntityChange> changes, DateTimeOffset at, CancellationToken ct = default)
    {
        long seq = 0;
        foreach (var chunk in Chunks(changes))
        {
            while (true)
            {
                seq = await NextAsync(projectKey, ct);
                try
                {
                    await Changes.CreateItemAsync(Entry(projectKey, seq, at, chunk), new PartitionKey(projectKey), NoContent, ct);
                    break;
                }
                catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
                {
                    // A reader gave up on this number and filled it (this writer was slower than the grace): take another.
                }
            }
        }
        return seq;
    }

    public async Task<long> HeadAsync(string projectKey, CancellationToken ct = default)
    {
        try
        {
            return (await Changes.ReadItemAsync<CosmosJournalCounter>(CounterId, new PartitionKey(projectKey), cancellationToken: ct)).Resource.Value;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return 0;
        }
    }

    public async Task<IReadOnlyList<JournalEntry>> ReadAsync(string projectKey, long afterSeq, int maxEntries, CancellationToken ct = default)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.projectKey = @p AND c.kind = @kind AND c.seq > @after ORDER BY c.seq")
            .WithParameter("@max", maxEntries)
            .WithParameter("@p", projectKey)
            .WithParameter("@kind", CosmosJournalEntry.EntryKind)
            .WithParameter("@after", afterSeq);
        var found = await CosmosQueries.ReadAllAsync<CosmosJournalEntry>(Changes, query, new PartitionKey(projectKey), ct);
        var run = new List<JournalEntry>();
        var next = afterSeq + 1;
        foreach (var entry in found)
        {
            // A gap: its number is taken but its entry not readable yet. Wait for a young one; fill one left behind.
            while (next < entry.Seq && run.Count < maxEntries)
            {
                if (clock.GetUtcNow() - entry.At < Grace || await FillAsync(projectKey, next, ct) is not { } filled) return run;
                run.Add(filled);
                next++;
            }
            if (run.Count == maxEntries) break;
            run.Add(entry.ToEntry());
            next++;
        }
        return run;
    }

    /// <summary>Entries expire by the container's time to live (see <see cref="Entry"/>); nothing to purge.</summary>
    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken ct = default) => Task.FromResult(0);

    /// <summary>Fills a number its writer left behind with an empty entry; null when the writer's entry turned up meanwhile.</summary>
    private async Task<JournalEntry?> FillAsync(string projectKey, long seq, CancellationToken ct)
    {
        var filler = Entry(projectKey, seq, clock.GetUtcNow(), []);
        try
        {
            await Changes.CreateItemAsync(filler, new PartitionKey(projectKey), NoContent, ct);
            return filler.ToEntry();
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return null; // read it with the next pull
        }
    }

    private async Task<long> NextAsync(string projectKey, CancellationToken ct)
    {
        var key = new PartitionKey(projectKey);
        while (true)
        {
            try
            {
                return (await Changes.PatchItemAsync<CosmosJournalCounter>(CounterId, key, Increment, cancellationToken: ct)).Resource.Value;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // The project's first entry.
            }
            try
            {
                await Changes.CreateItemAsync(new CosmosJournalCounter(CounterId, projectKey, CosmosJournalCounter.CounterKind, 1), key, NoContent, ct);
                return 1;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // Another writer created it first: increment theirs.
            }
        }
    }

    private CosmosJournalEntry Entry(string projectKey, long seq, DateTimeOffset at, IReadOnlyList<EntityChange> changes) =>
        new(CosmosJournalEntry.IdOf(seq), projectKey, CosmosJournalEntry.EntryKind, seq, at, changes, (int)options.KeptFor.TotalSeconds);

    /// <summary>The changes in entries of at most <see cref="MaxEntryBytes"/> each (one change alone may be larger).</summary>
    private static IEnumerable<IReadOnlyList<EntityChange>> Chunks(IReadOnlyList<EntityChange> changes)
    {
        var chunk = new List<EntityChange>();
        var bytes = 0;
        foreach (var change in changes)
        {
            var size = JsonSerializer.SerializeToUtf8Bytes(change, KanbatteJson.Options).Length;
            if (chunk.Count > 0 && bytes + size > MaxEntryBytes)
            {
                yield return chunk;
                (chunk, bytes) = ([], 0);
            }
            chunk.Add(change);
            bytes += size;
        }
        if (chunk.Count > 0) yield return chunk;
    }
}
