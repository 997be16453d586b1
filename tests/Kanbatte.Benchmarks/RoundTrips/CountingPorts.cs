using System.Collections.Concurrent;
using Kanbatte.Application;

namespace Kanbatte.Benchmarks.RoundTrips;

/// <summary>Counts every call that reaches a store, by port and operation: each call is one round trip to the database.</summary>
public sealed class RoundTripCounter
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public void Hit(string operation) => _counts.AddOrUpdate(operation, 1, (_, n) => n + 1);

    public IReadOnlyDictionary<string, int> Snapshot() => new SortedDictionary<string, int>(_counts, StringComparer.Ordinal);

    public int Total => _counts.Values.Sum();

    public void Reset() => _counts.Clear();
}

public sealed class CountingEventStore(IEventStore inner, IEventFeed feed, RoundTripCounter counter) : IEventStore, IEventFeed
{
    public Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default)
    {
        counter.Hit("event.append");
        return inner.AppendAsync(streamId, expectedVersion, events, ct);
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string streamId, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default)
    {
        counter.Hit("event.read-stream");
        return inner.ReadStreamAsync(streamId, fromVersion, maxCount, ct);
    }

    public Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default)
    {
        counter.Hit("event.read-project");
        return inner.ReadProjectAsync(projectKey, newestFirst, after, until, maxCount, ct);
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken ct = default)
    {
        counter.Hit("event.read-feed");
        return feed.ReadAllAsync(afterPosition, maxCount, ct);
    }
}

public sealed class CountingViewStore(IViewStore inner, RoundTripCounter counter) : IViewStore
{
    public Task<ViewDocument?> GetAsync(string partition, string id, CancellationToken ct = default)
    {
        counter.Hit("view.get");
        return inner.GetAsync(partition, id, ct);
    }

    public Task WriteAsync(IReadOnlyList<ViewChange> changes, CancellationToken ct = default)
    {
        counter.Hit("view.write");
        return inner.WriteAsync(changes, ct);
    }

    public Task<IReadOnlyList<ViewDocument>> ListProjectsAsync(string? afterKey, int limit, CancellationToken ct = default)
    {
        counter.Hit("view.query");
        return inner.ListProjectsAsync(afterKey, limit, ct);
    }

    public Task<IReadOnlyList<ViewDocument>> ListTasksAsync(TaskListQuery query, CancellationToken ct = default)
    {
        counter.Hit("view.query");
        return inner.ListTasksAsync(query, ct);
    }

    public Task<IReadOnlyDictionary<string, int>> CountTasksByStatusAsync(string projectKey, CancellationToken ct = default)
    {
        counter.Hit("view.query");
        return inner.CountTasksByStatusAsync(projectKey, ct);
    }

    public Task<IReadOnlyList<ViewDocument>> ListCommentsAsync(string projectKey, string taskId, int afterNumber, int limit, CancellationToken ct = default)
    {
        counter.Hit("view.query");
        return inner.ListCommentsAsync(projectKey, taskId, afterNumber, limit, ct);
    }
}

public sealed class CountingCounterStore(ICounterStore inner, RoundTripCounter counter) : ICounterStore
{
    public Task<int> NextAsync(string projectKey, string name, CancellationToken ct = default)
    {
        counter.Hit("counter.next");
        return inner.NextAsync(projectKey, name, ct);
    }
}

public sealed class CountingCheckpointStore(ICheckpointStore inner, RoundTripCounter counter) : ICheckpointStore
{
    public Task<long> GetAsync(string consumer, CancellationToken ct = default)
    {
        counter.Hit("checkpoint.get");
        return inner.GetAsync(consumer, ct);
    }

    public Task SaveAsync(string consumer, long position, CancellationToken ct = default)
    {
        counter.Hit("checkpoint.save");
        return inner.SaveAsync(consumer, position, ct);
    }
}
