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
/// <param name="snapshots">Snapshots of long streams' states, for a load that finds none in the cache; without them such a
/// load reads the whole stream.</param>
public sealed class WritePipeline(
    IEventStore events, TimeProvider clock, LoadOption load, StreamStateCache? cache,
    IReadOnlyList<IInTransactionStep> inTransaction, IReadOnlyList<IAfterCommitStep> afterCommit, StreamSnapshots? snapshots = null)
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
            // Each writer stamps its own clock, and reads by time (a board or a task as of a time, Cosmos DB's project log)
            // take a stream's events in time order: never before the entity's last change, so that order is the versions'.
            if (loaded.State is not null && fold.TimeOf(loaded.State) is var last && now <= last) now = last.AddMilliseconds(1);
            var envelopes = decided.Select((e, i) => EventCodec.Encode(streamId, version + 1 + i, e, now, metadata)).ToList();
            var ticket = cache?.Ticket(streamId) ?? 0;
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
            cache?.Set(streamId, state, fold, ticket);
            if (snapshots?.IsDue(version, version + envelopes.Count) == true) OfferSnapshot(streamId, state, fold);
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
        var ticket = cache?.Ticket(streamId) ?? 0;
        var cached = cache?.Get<TState>(streamId);
        if (option == LoadOption.AnyCachedValue && cached is not null) return new(cached, Read: false);
        var start = cached ?? await ReadSnapshotAsync(streamId, fold, ct);
        var from = start is null ? 0 : fold.VersionOf(start);
        var read = await events.ReadStreamAsync(streamId, from + 1, ct: ct);
        var state = fold.Fold(read, start);
        cache?.Set(streamId, state, fold, ticket);
        if (read.Count >= snapshots?.Every) OfferSnapshot(streamId, state, fold);
        return new(state, Read: true);
    }

    /// <summary>The state in the stream's snapshot, or null when it has none this code can decode.</summary>
    private async Task<TState?> ReadSnapshotAsync<TState>(string streamId, StreamFold<TState> fold, CancellationToken ct) where TState : class
    {
        if (snapshots is null || fold.Snapshot is not { } codec) return null;
        if (await snapshots.ReadAsync(streamId, ct) is not { } snapshot || snapshot.Schema != codec.Schema) return null;
        TState? state;
        try
        {
            state = codec.Decode(snapshot.State);
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // only a shortcut: the stream is read from the start instead
        }
        // Nor is one used that does not decode to its own version.
        return state is not null && fold.VersionOf(state) == snapshot.Version ? state : null;
    }

    /// <summary>Offers a snapshot of a state folded from committed events (what was appended, or read from the log).</summary>
    private void OfferSnapshot<TState>(string streamId, TState? state, StreamFold<TState> fold) where TState : class
    {
        if (snapshots is null || state is null || fold.Snapshot is not { } codec) return;
        snapshots.Offer(new StreamSnapshot(streamId, fold.VersionOf(state), codec.Schema, codec.Encode(state)));
    }

    /// <summary>The state with the events written after <paramref name="loaded"/>'s, or null when there are none.</summary>
    private async Task<Loaded<TState>?> ReadNewerAsync<TState>(string streamId, StreamFold<TState> fold, Loaded<TState> loaded, CancellationToken ct) where TState : class
    {
        var ticket = cache?.Ticket(streamId) ?? 0;
        var from = loaded.State is null ? 0 : fold.VersionOf(loaded.State);
        var newer = await events.ReadStreamAsync(streamId, from + 1, ct: ct);
        if (newer.Count == 0) return null;
        var state = fold.Fold(newer, loaded.State);
        cache?.Set(streamId, state, fold, ticket);
        return new Loaded<TState>(state, Read: true);
    }
}
