namespace Kanbatte.Application;

/// <summary>How <see cref="WritePipeline"/> gets a stream's state before deciding (the names are Equinox's).</summary>
public enum LoadOption
{
    /// <summary>Read the stream: the events after the cached state, folded on from it (all of them without one).</summary>
    RequireLoad,

    /// <summary>
    /// Decide on the cached state without reading, when every writer of the store shares the cache (one self-hosted
    /// server). The append at the cached version fails if another writer moved the stream on; a refusal or a decision to
    /// change nothing is checked against the log before it is given. Falls back to reading when nothing is cached.
    /// </summary>
    AnyCachedValue,

    /// <summary>A stream about to be created: no read at all; if it exists after all, the append conflicts and the stream is read.</summary>
    AssumeEmpty,
}
