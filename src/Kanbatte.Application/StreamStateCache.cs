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
/// cache drops the least recently used quarter (MemoryCache compaction: a set that finds it full is not kept and starts
/// one) and a command reads those streams again.
/// </para>
/// </summary>
public sealed class StreamStateCache : IDisposable
{
    public const long DefaultBytes = 64L * 1024 * 1024;
    // MemoryCache's own entry, the key and the expiry bookkeeping, about.
    private const long EntryOverhead = 160;
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(20);
    private readonly MemoryCache _cache;

    public StreamStateCache(long bytes = DefaultBytes) =>
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = bytes, CompactionPercentage = 0.25, TrackStatistics = true });

    /// <summary>The states cached now, and the bytes they are estimated to hold.</summary>
    public (long Count, long Bytes) Usage => (_cache.Count, _cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0);

    public T? Get<T>(string streamId) where T : class => _cache.TryGetValue(streamId, out T? state) ? state : null;

    /// <summary>Keeps a state folded from committed events only.</summary>
    public void Set<T>(string streamId, T? state, StreamFold<T> fold) where T : class
    {
        if (state is not null)
            _cache.Set(streamId, state, new MemoryCacheEntryOptions { Size = EntryOverhead + 2L * streamId.Length + fold.SizeOf(state), SlidingExpiration = Idle });
    }

    public void Dispose() => _cache.Dispose();
}
