using System.Collections.Concurrent;

namespace Kanbatte.Testing.RoundTrips;

/// <summary>Counts every call that reaches a store, by port and operation: each call is one round trip to the database.</summary>
public sealed class RoundTripCounter
{
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly ConcurrentQueue<string> _order = new();

    public void Hit(string operation)
    {
        _counts.AddOrUpdate(operation, 1, (_, n) => n + 1);
        _order.Enqueue(operation);
    }

    /// <summary>The calls in the order they reached the stores.</summary>
    public IReadOnlyList<string> Calls => _order.ToArray();

    public IReadOnlyDictionary<string, int> Snapshot() => new SortedDictionary<string, int>(_counts, StringComparer.Ordinal);

    public int Total => _counts.Values.Sum();

    public void Reset()
    {
        _counts.Clear();
        _order.Clear();
    }
}
