using Kanbatte.Application;

namespace Kanbatte.Storage.Tests;

/// <summary>
/// A fresh, isolated set of stores of one implementation. Feed and Checkpoints are null where the store has its own change
/// feed. <see cref="CopyToProjectLog"/> is the projection step that makes appended events readable by project where that
/// is a copy (Cosmos DB's project log); on SQLite the log itself is read by project, and it does nothing.
/// </summary>
public sealed record StoreUnderTest(
    IEventStore Events,
    IViewStore View,
    ICounterStore Counters,
    IChangeJournal Changes,
    IEventFeed? Feed,
    ICheckpointStore? Checkpoints,
    Func<IViewStore> NewView,
    IAsyncDisposable Owner) : IAsyncDisposable
{
    public Func<IReadOnlyList<EventEnvelope>, Task> CopyToProjectLog { get; init; } = _ => Task.CompletedTask;

    public required IStreamSnapshotStore StreamSnapshots { get; init; }

    public required IIdempotencyStore Idempotency { get; init; }

    public ValueTask DisposeAsync() => Owner.DisposeAsync();
}

/// <summary>Runs a clean-up action when a test's store is disposed.</summary>
internal sealed class Cleanup(Action action) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        action();
        return ValueTask.CompletedTask;
    }
}
