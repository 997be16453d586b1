using System.Collections.Concurrent;

namespace Kanbatte.Testing.RoundTrips;

/// <summary>Counts every call that reaches a store, by port and operation: each call is one round trip to the database.</summary>
public sealed class RoundTripCounter
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public void Hit(string operation) => _counts.AddOrUpdate(operation, 1, (_, n) => n + 1);

    public IReadOnlyDictionary<string, int> Snapshot() => new SortedDictionary<string, int>(_counts, StringComparer.Ordinal);

    public int Total => _counts.Values.Sum();

    public void Reset() => _counts.Clear();
}
