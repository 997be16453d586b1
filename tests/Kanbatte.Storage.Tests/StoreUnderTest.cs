using Kanbatte.Application;

namespace Kanbatte.Storage.Tests;

/// <summary>A fresh, isolated set of stores of one implementation. Feed and Checkpoints are null where the store has its own change feed.</summary>
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
