using System.Net;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// Which container holds the view. Cosmos DB cannot rename a container, so a rebuilt view goes live by a pointer: the
/// document <see cref="PointerId"/> in the counters container names the active view container (no pointer: the
/// configured <see cref="CosmosOptions.ViewContainer"/>). Readers and projectors of every instance read the pointer
/// again once it is older than <see cref="CosmosOptions.ActiveViewRefreshMs"/>, so a switch reaches them all within
/// that interval; the rebuild waits for it before its last catch-up. A failed pointer read fails the caller rather
/// than going on with a container that may no longer be the view.
/// </summary>
public sealed class CosmosActiveView(CosmosClient client, CosmosOptions options)
{
    /// <summary>Has no '|', so it can never be a counter's id (<c>{projectKey}|{counter}</c>).</summary>
    public const string PointerId = "kanbatte.active-view";

    private readonly Container _pointers = client.GetContainer(options.Database, options.CountersContainer);
    private readonly TimeSpan _refresh = TimeSpan.FromMilliseconds(options.ActiveViewRefreshMs);
    private volatile Cached? _current; // one reference, so a reader never sees a container with another's read time

    private sealed record Cached(Container View, string Epoch, long ReadAt);

    public TimeSpan RefreshInterval => _refresh;

    public async ValueTask<Container> GetAsync(CancellationToken ct = default) => (await CurrentAsync(ct)).View;

    /// <summary>The view's generation, for changes cursors (see <see cref="CosmosViewPointer.Epoch"/>).</summary>
    public async ValueTask<string> EpochAsync(CancellationToken ct = default) => (await CurrentAsync(ct)).Epoch;

    private async ValueTask<Cached> CurrentAsync(CancellationToken ct)
    {
        if (_current is { } current && TimeProvider.System.GetElapsedTime(current.ReadAt) < _refresh) return current;
        var readAt = TimeProvider.System.GetTimestamp();
        var pointer = await ReadPointerAsync(ct);
        var name = pointer?.Container ?? options.ViewContainer;
        var view = _current is { } known && known.View.Id == name ? known.View : client.GetContainer(options.Database, name);
        return _current = new Cached(view, pointer?.Epoch ?? name, readAt);
    }

    /// <summary>
    /// Makes <paramref name="container"/> the view for every instance (within the refresh interval), keeping the epoch
    /// of the view it replaces until <see cref="CompleteAsync"/>.
    /// </summary>
    public async Task SwitchAsync(string container, string previous, DateTimeOffset at, CancellationToken ct = default)
    {
        var epoch = (await ReadPointerAsync(ct))?.Epoch ?? previous;
        await _pointers.UpsertItemAsync(new CosmosViewPointer(PointerId, container, previous, at, epoch), new PartitionKey(PointerId),
            new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
        _current = null;
    }

    /// <summary>The switched-to view has caught up: it becomes the epoch, so changes cursors from before the switch are refused.</summary>
    public async Task CompleteAsync(CancellationToken ct = default)
    {
        var pointer = await ReadPointerAsync(ct) ?? throw new InvalidOperationException("No view switch to complete.");
        await _pointers.UpsertItemAsync(pointer with { Epoch = pointer.Container }, new PartitionKey(PointerId),
            new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
        _current = null;
    }

    public async Task<CosmosViewPointer?> ReadPointerAsync(CancellationToken ct = default)
    {
        try
        {
            return (await _pointers.ReadItemAsync<CosmosViewPointer>(PointerId, new PartitionKey(PointerId), cancellationToken: ct)).Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
