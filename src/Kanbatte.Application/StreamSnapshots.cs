namespace Kanbatte.Application;

/// <summary>
/// Snapshots of long streams' states (as Equinox's snapshot access strategies keep them), so a command on a stream whose
/// state is not in the <see cref="StreamStateCache"/> reads one snapshot and fewer than <see cref="Every"/> events, not
/// the whole stream: a task renamed a thousand times would otherwise read and fold a thousand events, from wherever they
/// lie in the log, each time its state has left the cache.
/// <para>
/// The <see cref="WritePipeline"/> offers one each time a stream's version passes a multiple of <see cref="Every"/>, and
/// whenever a load had to read that many events. Offers wait here (the latest per stream, bounded by
/// <see cref="MaxPendingChars"/>) until the host's background pass writes them in one batch
/// (<see cref="FlushAsync"/>): no command waits for a snapshot to be written.
/// </para>
/// </summary>
public sealed class StreamSnapshots(IStreamSnapshotStore store, int every = StreamSnapshots.DefaultEvery)
{
    public const int DefaultEvery = 20;
    /// <summary>At most this much state text waits (a task with a long discussion makes a large snapshot).</summary>
    public const long MaxPendingChars = 16L * 1024 * 1024;

    // Taken by one offer in 20 writes and by the flush pass: a plain lock costs nothing here.
    private readonly Dictionary<string, StreamSnapshot> _pending = new(StringComparer.Ordinal);
    private long _pendingChars;

    public int Every { get; } = every > 0 ? every : throw new ArgumentOutOfRangeException(nameof(every));

    /// <summary>Snapshots offered and not yet written.</summary>
    public int Pending
    {
        get { lock (_pending) return _pending.Count; }
    }

    /// <summary>The stream's latest snapshot: one waiting to be written, else the store's.</summary>
    public async Task<StreamSnapshot?> ReadAsync(string streamId, CancellationToken ct = default)
    {
        lock (_pending)
            if (_pending.TryGetValue(streamId, out var pending)) return pending;
        return await store.ReadAsync(streamId, ct);
    }

    /// <summary>Whether a stream at <paramref name="version"/>, from <paramref name="before"/>, has passed a multiple of <see cref="Every"/>.</summary>
    public bool IsDue(int before, int version) => version / Every > before / Every;

    /// <summary>
    /// Queues a snapshot of a state folded from committed events only. It replaces an older one of its stream; it is
    /// dropped when <see cref="MaxPendingChars"/> of others already wait (the store is slow or failing: the stream is
    /// read further back until a later offer gets in).
    /// </summary>
    public void Offer(StreamSnapshot snapshot)
    {
        lock (_pending)
        {
            _pending.TryGetValue(snapshot.StreamId, out var current);
            if (current is not null && current.Version > snapshot.Version && current.Schema == snapshot.Schema) return;
            var chars = _pendingChars - (current?.State.Length ?? 0) + snapshot.State.Length;
            if (chars > MaxPendingChars) return;
            _pending[snapshot.StreamId] = snapshot;
            _pendingChars = chars;
        }
    }

    /// <summary>Writes the snapshots waiting, in one batch; returns how many.</summary>
    public async Task<int> FlushAsync(CancellationToken ct = default)
    {
        List<StreamSnapshot> batch;
        lock (_pending) batch = [.. _pending.Values];
        if (batch.Count == 0) return 0;
        await store.WriteAsync(batch, ct);
        lock (_pending)
            foreach (var written in batch)
                // Only the entries written: an offer that replaced one meanwhile waits for the next pass.
                if (_pending.TryGetValue(written.StreamId, out var current) && ReferenceEquals(current, written))
                {
                    _pending.Remove(written.StreamId);
                    _pendingChars -= written.State.Length;
                }
        return batch.Count;
    }
}
