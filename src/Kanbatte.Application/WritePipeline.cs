using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>
/// The one way events are written (Equinox's Transact): load the stream's state, decide, append at the version loaded,
/// and on a conflict (another writer got there first) load again and decide again; nothing else is retried. The state
/// returned is folded from the events just written, not read back from the (possibly lagging) view.
/// What else happens with an append is the host's list of steps: <paramref name="inTransaction"/> runs inside the store's
/// append transaction, <paramref name="afterCommit"/> after it, in the order given.
/// </summary>
/// <param name="load">How a transaction gets the state unless it says otherwise.</param>
/// <param name="cache">Folded states of recent streams; without one every load reads the whole stream.</param>
public sealed class WritePipeline(
    IEventStore events, TimeProvider clock, LoadOption load, StreamStateCache? cache,
    IReadOnlyList<IInTransactionStep> inTransaction, IReadOnlyList<IAfterCommitStep> afterCommit)
{
    private const int MaxAttempts = 50;

    /// <summary>A pipeline with no steps: every load reads, nothing is cached (tools and tests).</summary>
    public WritePipeline(IEventStore events, TimeProvider clock, StreamStateCache? cache = null)
        : this(events, clock, LoadOption.RequireLoad, cache, [], []) { }

    /// <summary>Decides with <paramref name="decide"/> on the stream's state and appends what it decided.</summary>
    /// <param name="loadOption">Overrides the pipeline's load, e.g. <see cref="LoadOption.AssumeEmpty"/> for a new stream.</param>
    public async Task<Transacted<TState>> TransactAsync<TState>(
        string streamId, StreamFold<TState> fold, Func<TState?, Task<IReadOnlyList<IDomainEvent>>> decide, EventMetadata metadata,
        CancellationToken ct, LoadOption? loadOption = null) where TState : class
    {
        var loaded = await LoadAsync(streamId, fold, loadOption ?? load, ct);
        for (var attempt = 1; ; attempt++)
        {
            IReadOnlyList<IDomainEvent> decided;
            try
            {
                decided = await decide(loaded.State);
            }
            catch (DomainException) when (!loaded.Read)
            {
                // A refusal is given on what the log says, not on an unread state: decide again if the stream moved on.
                if (await ReadNewerAsync(streamId, fold, loaded, ct) is not { } newer) throw;
                loaded = newer;
                continue;
            }
            if (decided.Count == 0)
            {
                // So is "nothing to change".
                if (!loaded.Read && await ReadNewerAsync(streamId, fold, loaded, ct) is { } newer)
                {
                    loaded = newer;
                    continue;
                }
                return new Transacted<TState>(loaded.State, []);
            }

            var version = loaded.State is null ? 0 : fold.VersionOf(loaded.State);
            var now = clock.GetUtcNow();
            var envelopes = decided.Select((e, i) => EventCodec.Encode(streamId, version + 1 + i, e, now, metadata)).ToList();
            long position;
            try
            {
                position = await events.AppendAsync(streamId, version, envelopes, inTransaction, ct);
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // Under heavy contention a short random pause spreads the writers out, so one does not lose every round.
                if (attempt >= 3) await Task.Delay(Random.Shared.Next(attempt), ct);
                loaded = await LoadAsync(streamId, fold, LoadOption.RequireLoad, ct);
                continue;
            }

            var state = fold.Fold(envelopes, loaded.State);
            cache?.Set(streamId, state, fold);
            // Durable from here on: the steps after the commit must not turn the write into an error, nor be cut short.
            foreach (var step in afterCommit) await step.AfterCommitAsync(envelopes, position, CancellationToken.None);
            return new Transacted<TState>(state, envelopes);
        }
    }

    /// <summary>A stream's state for a decision that appends nothing (e.g. "does the project exist"), loaded as the pipeline loads.</summary>
    public async Task<TState?> LoadAsync<TState>(string streamId, StreamFold<TState> fold, CancellationToken ct) where TState : class =>
        (await LoadAsync(streamId, fold, load, ct)).State;

    /// <summary>The same, with whatever the log holds now (<see cref="LoadOption.RequireLoad"/>), whatever this pipeline's own load option.</summary>
    public async Task<TState?> LoadCurrentAsync<TState>(string streamId, StreamFold<TState> fold, CancellationToken ct) where TState : class =>
        (await LoadAsync(streamId, fold, LoadOption.RequireLoad, ct)).State;

    /// <summary>A state, and whether it was read from the log just now (rather than taken from the cache or assumed).</summary>
    private readonly record struct Loaded<TState>(TState? State, bool Read);

    private async Task<Loaded<TState>> LoadAsync<TState>(string streamId, StreamFold<TState> fold, LoadOption option, CancellationToken ct) where TState : class
    {
        if (option == LoadOption.AssumeEmpty) return new(null, Read: false);
        var cached = cache?.Get<TState>(streamId);
        if (option == LoadOption.AnyCachedValue && cached is not null) return new(cached, Read: false);
        var from = cached is null ? 0 : fold.VersionOf(cached);
        var state = fold.Fold(await events.ReadStreamAsync(streamId, from + 1, ct: ct), cached);
        cache?.Set(streamId, state, fold);
        return new(state, Read: true);
    }

    /// <summary>The state with the events written after <paramref name="loaded"/>'s, or null when there are none.</summary>
    private async Task<Loaded<TState>?> ReadNewerAsync<TState>(string streamId, StreamFold<TState> fold, Loaded<TState> loaded, CancellationToken ct) where TState : class
    {
        var from = loaded.State is null ? 0 : fold.VersionOf(loaded.State);
        var newer = await events.ReadStreamAsync(streamId, from + 1, ct: ct);
        if (newer.Count == 0) return null;
        var state = fold.Fold(newer, loaded.State);
        cache?.Set(streamId, state, fold);
        return new Loaded<TState>(state, Read: true);
    }
}
