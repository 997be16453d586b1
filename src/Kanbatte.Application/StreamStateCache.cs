using Microsoft.Extensions.Caching.Memory;

namespace Kanbatte.Application;

/// <summary>
/// The folded state of recently used streams, with the version it reflects (as Equinox caches aggregates): a command
/// reads only the events after that version and folds them on, instead of reading and decoding the whole stream; with
/// <see cref="LoadOption.AnyCachedValue"/> it decides on the cached state without reading. Nothing stale is ever
/// written either way: an append at a stale version is a conflict.
/// </summary>
public sealed class StreamStateCache : IDisposable
{
    public const int DefaultCapacity = 50_000;
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(20);
    private readonly MemoryCache _cache;

    public StreamStateCache(int capacity = DefaultCapacity) =>
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity });

    public T? Get<T>(string streamId) where T : class => _cache.TryGetValue(streamId, out T? state) ? state : null;

    /// <summary>Keeps a state folded from committed events only.</summary>
    public void Set<T>(string streamId, T? state) where T : class
    {
        if (state is not null) _cache.Set(streamId, state, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = Idle });
    }

    public void Dispose() => _cache.Dispose();
}
