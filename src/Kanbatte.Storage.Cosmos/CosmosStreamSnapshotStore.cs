using System.Net;
using System.Text.Json;
using Kanbatte.Application;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// Stream snapshots in the project log container (<see cref="CosmosProjectLog"/>): one document a stream, in its project's
/// partition, so a load reads it with a point read (1 RU for a small state) before a single-partition query of the
/// events after it. The container indexes only <c>kind</c> and <c>seq</c>, so a snapshot's state costs no index writes,
/// and every query on it names the kind it reads. A write reads the stream's document first and replaces it only if it
/// is older (If-Match on its ETag), so a late writer never puts back an older snapshot; about 1 RU to read and one
/// write a stream every <see cref="StreamSnapshots.Every"/> versions.
/// </summary>
public sealed class CosmosStreamSnapshotStore(CosmosContainers containers) : IStreamSnapshotStore
{
    private const int Parallelism = 8;
    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };

    private Container Container => containers.ProjectLog;

    public async Task<StreamSnapshot?> ReadAsync(string streamId, CancellationToken ct = default) =>
        (await ReadItemAsync(streamId, ct)).Item is { } item ? new StreamSnapshot(item.StreamId, item.Version, item.Schema, item.State) : null;

    public Task WriteAsync(IReadOnlyCollection<StreamSnapshot> snapshots, CancellationToken ct = default) =>
        Parallel.ForEachAsync(snapshots, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, WriteAsync);

    private async ValueTask WriteAsync(StreamSnapshot snapshot, CancellationToken ct)
    {
        var projectKey = EventEnvelope.ProjectKeyOf(snapshot.StreamId);
        var item = new CosmosStreamSnapshotItem(CosmosStreamSnapshotItem.IdOf(snapshot.StreamId), projectKey, CosmosStreamSnapshotItem.StreamSnapshotKind,
            snapshot.StreamId, snapshot.Version, snapshot.Schema, snapshot.State);
        var (current, etag) = await ReadItemAsync(snapshot.StreamId, ct);
        if (current is not null && current.Schema == snapshot.Schema && current.Version >= snapshot.Version) return;
        try
        {
            if (current is null) await Container.CreateItemAsync(item, new PartitionKey(projectKey), NoContent, ct);
            else await Container.ReplaceItemAsync(item, item.Id, new PartitionKey(projectKey), new ItemRequestOptions { IfMatchEtag = etag, EnableContentResponseOnWrite = false }, ct);
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed)
        {
            // Another writer's snapshot got there first: the stream has one at least as recent, or will at its next offer.
        }
    }

    // Without an exception for a stream that has none (most streams are short): a command whose state left the cache asks.
    private async Task<(CosmosStreamSnapshotItem? Item, string? ETag)> ReadItemAsync(string streamId, CancellationToken ct)
    {
        using var response = await Container.ReadItemStreamAsync(CosmosStreamSnapshotItem.IdOf(streamId), new PartitionKey(EventEnvelope.ProjectKeyOf(streamId)), cancellationToken: ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return (null, null);
        response.EnsureSuccessStatusCode();
        return (await JsonSerializer.DeserializeAsync<CosmosStreamSnapshotItem>(response.Content, KanbatteJson.Options, ct), response.Headers.ETag);
    }
}
