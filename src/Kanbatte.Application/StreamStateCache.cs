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
/// <para>
/// A cached state never goes back. Reads decide on it too (who is a member of a project), so a load that read the log
/// just before a write committed must not replace the state that write cached, even if that state has been dropped
/// since, or was itself refused. Hence <see cref="Ticket"/>: taken before the read or the append a state comes from, it lets
/// <see cref="Set{T}"/> refuse a state when a newer one may have been offered in the meantime. (A refusal costs only a read.)
/// </para>
/// </summary>
public sealed class StreamStateCache : IDisposable
{
    public const long DefaultBytes = 64L * 1024 * 1024;
    // MemoryCache's own entry, the key and the expiry bookkeeping, about.
    private const long EntryOverhead = 160;
    private const int Stripes = 1024;
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(20);
    private readonly MemoryCache _cache;
    // Per stripe of stream ids: a lock, and how many states were offered to Set under it, kept or not.
    private readonly Lock[] _locks = Enumerable.Range(0, Stripes).Select(_ => new Lock()).ToArray();
    private readonly long[] _offered = new long[Stripes];

    public StreamStateCache(long bytes = DefaultBytes) =>
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = bytes, CompactionPercentage = 0.25, TrackStatistics = true });

    /// <summary>The states cached now, and the bytes they are estimated to hold.</summary>
    public (long Count, long Bytes) Usage => (_cache.Count, _cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0);

    public T? Get<T>(string streamId) where T : class => _cache.TryGetValue(streamId, out T? state) ? state : null;

    /// <summary>To take before reading or appending the events a state will be folded from, and to give to <see cref="Set{T}"/>.</summary>
    public long Ticket(string streamId) => Volatile.Read(ref _offered[Stripe(streamId)]);

    /// <summary>
    /// Keeps a state folded from committed events, unless the cache holds a state as new or newer, or holds none but was
    /// offered one of this stripe of streams since <paramref name="ticket"/> (it may have been this stream's, newer, and
    /// dropped or refused).
    /// </summary>
    public void Set<T>(string streamId, T? state, StreamFold<T> fold, long ticket) where T : class
    {
        if (state is null) return;
        var stripe = Stripe(streamId);
        lock (_locks[stripe])
        {
            var stale = _cache.TryGetValue(streamId, out T? cached) && cached is not null
                ? fold.VersionOf(cached) >= fold.VersionOf(state)
                : _offered[stripe] != ticket;
            // Counted even when refused: a newer state that is not kept must still turn away any older one read before it.
            Volatile.Write(ref _offered[stripe], _offered[stripe] + 1);
            if (stale) return;
            _cache.Set(streamId, state, new MemoryCacheEntryOptions { Size = EntryOverhead + 2L * streamId.Length + fold.SizeOf(state), SlidingExpiration = Idle });
        }
    }

    /// <summary>Forgets a stream's state, as the bound or the idle expiry does.</summary>
    public void Drop(string streamId) => _cache.Remove(streamId);

    private static int Stripe(string streamId) => (int)((uint)StringComparer.Ordinal.GetHashCode(streamId) % Stripes);

    public void Dispose() => _cache.Dispose();
}
