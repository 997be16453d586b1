using Microsoft.Extensions.Caching.Memory;

namespace Kanbatte.Application;

/// <summary>
/// The folded state of recently used streams, with the version it reflects (as Equinox caches aggregates): a command
/// reads only the events after that version and folds them on, instead of reading and decoding the whole stream.
/// A <see cref="Trusted"/> cache is used without reading at all when all writers share it (one self-hosted server):
/// the command decides on the cached state and appends at its version, and only a conflict, a refusal or a change that
/// changes nothing is decided again on a fresh read (Equinox's "any cached value"). Either way nothing stale is ever
/// written: an append at a stale version is a conflict.
/// </summary>
public sealed class StreamStateCache : IDisposable
{
    public const int DefaultCapacity = 50_000;
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(20);
    private readonly MemoryCache _cache;

    public StreamStateCache(int capacity = DefaultCapacity, bool trusted = false)
    {
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacity });
        Trusted = trusted;
    }

    /// <summary>Whether a command may decide on a cached state without reading the stream first.</summary>
    public bool Trusted { get; }

    public T? Get<T>(string streamId) where T : class => _cache.TryGetValue(streamId, out T? state) ? state : null;

    /// <summary>Keeps a state folded from committed events only.</summary>
    public void Set<T>(string streamId, T? state) where T : class
    {
        if (state is not null) _cache.Set(streamId, state, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = Idle });
    }

    public void Dispose() => _cache.Dispose();
}
