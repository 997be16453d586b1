using Microsoft.Extensions.Caching.Memory;

namespace Kanbatte.Application;

/// <summary>
/// The folded state of recently used streams, with the version it reflects (as Equinox caches aggregates): a command
/// reads only the events after that version and folds them on, instead of reading and decoding the whole stream; with
/// <see cref="LoadOption.AnyCachedValue"/> it decides on the cached state without reading. Nothing stale is ever
/// written either way: an append at a stale version is a conflict.
/// <para>
/// It is bounded by memory (<see cref="StreamFold{TState}.SizeOf"/>), not by entries: a task's state holds its comments
/// and followups, so a count of entries would let a few long discussions take any amount of memory. Past the bound the
/// cache drops the least recently used quarter and a command reads those streams again.
/// </para>
/// <para>
/// It compacts itself once it is nine-tenths full, in the set that crosses that line and one set at a time, so that no
/// set finds it full. MemoryCache does not keep a set that finds it full, and queues a compaction on the thread pool for
/// each one: after a large import had filled it, a burst of updates on tasks it had pushed out queued dozens, each
/// enumerating and sorting every entry, while requests waited for a pool thread. Paced updates on the large project then
/// had a p99 of 40-74 ms on the wire for the first two seconds' sake, against 6 ms with a cache that never filled
/// (docs/performance.md, section 9).
/// </para>
/// </summary>
public sealed class StreamStateCache : IDisposable
{
    public const long DefaultBytes = 64L * 1024 * 1024;
    // MemoryCache's own entry, the key and the expiry bookkeeping, about.
    private const long EntryOverhead = 160;
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(20);
    private const double CompactionPercentage = 0.25;
    private readonly MemoryCache _cache;
    private readonly long _compactAt;
    private int _compacting;

    public StreamStateCache(long bytes = DefaultBytes)
    {
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = bytes, CompactionPercentage = CompactionPercentage, TrackStatistics = true });
        _compactAt = bytes / 10 * 9;
    }

    /// <summary>The states cached now, and the bytes they are estimated to hold.</summary>
    public (long Count, long Bytes) Usage => (_cache.Count, _cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0);

    public T? Get<T>(string streamId) where T : class => _cache.TryGetValue(streamId, out T? state) ? state : null;

    /// <summary>Keeps a state folded from committed events only.</summary>
    public void Set<T>(string streamId, T? state, StreamFold<T> fold) where T : class
    {
        if (state is null) return;
        var size = EntryOverhead + 2L * streamId.Length + fold.SizeOf(state);
        if (Usage.Bytes + size > _compactAt && Interlocked.CompareExchange(ref _compacting, 1, 0) == 0)
        {
            try
            {
                _cache.Compact(CompactionPercentage);
            }
            finally
            {
                Volatile.Write(ref _compacting, 0);
            }
        }
        _cache.Set(streamId, state, new MemoryCacheEntryOptions { Size = size, SlidingExpiration = Idle });
    }

    public void Dispose() => _cache.Dispose();
}
