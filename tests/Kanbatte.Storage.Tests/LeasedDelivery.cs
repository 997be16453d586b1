using System.Collections.Concurrent;
using Kanbatte.Application;

namespace Kanbatte.Storage.Tests;

/// <summary>
/// TEST ONLY: the event log's change feed as Cosmos DB hands it to two projector instances. Each stream belongs to one of
/// two leases; a lease's events reach its instance in batches of any size, late, sometimes out of order (appends finish
/// in any order), and now and then twice, while writers go on. Both instances write the same view and journal.
/// </summary>
public sealed class LeasedDelivery(IEventStore inner) : IEventStore
{
    public const int Leases = 2;
    private readonly ConcurrentQueue<EventEnvelope>[] _queues = [new(), new()];
    private int _busy;

    public static int LeaseOf(string streamId) => (int)((uint)StringComparer.Ordinal.GetHashCode(streamId) % Leases);

    public async Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default)
    {
        var position = await inner.AppendAsync(streamId, expectedVersion, events, ct);
        foreach (var e in events) _queues[LeaseOf(e.StreamId)].Enqueue(e);
        return position;
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string streamId, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default) =>
        inner.ReadStreamAsync(streamId, fromVersion, maxCount, ct);

    public Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default) =>
        inner.ReadProjectAsync(projectKey, newestFirst, after, until, maxCount, ct);

    /// <summary>True once every delivered event has been projected and nothing is waiting.</summary>
    public bool Drained => Volatile.Read(ref _busy) == 0 && _queues.All(q => q.IsEmpty);

    /// <summary>One projector instance on one lease, until <paramref name="stop"/> and then until its lease is drained.</summary>
    public async Task RunAsync(int lease, IBatchProjection projector, Random random, CancellationToken stop)
    {
        var queue = _queues[lease];
        while (true)
        {
            Interlocked.Increment(ref _busy);
            var batch = new List<EventEnvelope>();
            for (var size = random.Next(1, 9); batch.Count < size && queue.TryDequeue(out var e);) batch.Add(e);
            try
            {
                if (batch.Count > 0)
                {
                    await projector.ProjectAsync(batch);
                    if (random.Next(8) == 0) await projector.ProjectAsync(batch); // delivered again
                }
            }
            finally
            {
                Interlocked.Decrement(ref _busy);
            }
            if (batch.Count == 0)
            {
                if (stop.IsCancellationRequested) return;
                await Task.Delay(2, CancellationToken.None);
            }
            else if (random.Next(3) == 0) await Task.Delay(random.Next(1, 6), CancellationToken.None); // lagging behind the writers
        }
    }
}
