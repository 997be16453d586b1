using System.Collections.Concurrent;

namespace Kanbatte.Application;

/// <summary>
/// Snapshots of long streams' states (as Equinox's snapshot access strategies keep them), so a command on a stream whose
/// state is not in the <see cref="StreamStateCache"/> reads one snapshot and fewer than <see cref="Every"/> events, not
/// the whole stream: a task renamed a thousand times would otherwise read and fold a thousand events, from wherever they
/// lie in the log, each time its state has left the cache.
/// <para>
/// The <see cref="WritePipeline"/> offers one each time a stream's version passes a multiple of <see cref="Every"/>, and
/// whenever a load had to read that many events. Offers wait here (the latest per stream, at most
/// <see cref="MaxPending"/> streams) until the host's background pass writes them in one batch
/// (<see cref="FlushAsync"/>): no command waits for a snapshot to be written.
/// </para>
/// </summary>
public sealed class StreamSnapshots(IStreamSnapshotStore store, int every = StreamSnapshots.DefaultEvery)
{
    public const int DefaultEvery = 20;
    public const int MaxPending = 10_000;

    private readonly ConcurrentDictionary<string, StreamSnapshot> _pending = new(StringComparer.Ordinal);

    public int Every { get; } = every > 0 ? every : throw new ArgumentOutOfRangeException(nameof(every));

    /// <summary>Snapshots offered and not yet written.</summary>
    public int Pending => _pending.Count;

    /// <summary>The stream's latest snapshot: one waiting to be written, else the store's.</summary>
    public async Task<StreamSnapshot?> ReadAsync(string streamId, CancellationToken ct = default) =>
        _pending.TryGetValue(streamId, out var pending) ? pending : await store.ReadAsync(streamId, ct);

    /// <summary>Whether a stream at <paramref name="version"/>, from <paramref name="before"/>, has passed a multiple of <see cref="Every"/>.</summary>
    public bool IsDue(int before, int version) => version / Every > before / Every;

    /// <summary>Queues a snapshot of a state folded from committed events only; dropped when <see cref="MaxPending"/> streams already wait.</summary>
    public void Offer(StreamSnapshot snapshot)
    {
        if (_pending.Count >= MaxPending && !_pending.ContainsKey(snapshot.StreamId)) return;
        _pending.AddOrUpdate(snapshot.StreamId, snapshot, (_, current) => current.Version > snapshot.Version && current.Schema == snapshot.Schema ? current : snapshot);
    }

    /// <summary>Writes the snapshots waiting, in one batch; returns how many.</summary>
    public async Task<int> FlushAsync(CancellationToken ct = default)
    {
        if (_pending.IsEmpty) return 0;
        var batch = _pending.ToArray();
        await store.WriteAsync(batch.Select(p => p.Value).ToList(), ct);
        // Only the entries written: an offer that replaced one meanwhile waits for the next pass.
        foreach (var written in batch) _pending.TryRemove(written);
        return batch.Length;
    }
}
