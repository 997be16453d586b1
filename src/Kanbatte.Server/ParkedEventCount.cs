using System.Diagnostics.Metrics;
using Kanbatte.Application;

namespace Kanbatte.Server;

/// <summary>
/// The number of parked events behind the <c>kanbatte.projection.parked</c> gauge. A collection never waits for the
/// store: it reads the last count, and starts a background re-count when that count is older than <see cref="MaxAge"/>
/// or this process has parked or removed an event since. So an exporter collecting every second costs at most one
/// COUNT per <see cref="MaxAge"/> (plus one per change), and nothing at all while no exporter collects. Events parked by
/// another process (a second instance, the function app) show within <see cref="MaxAge"/> of the next collection.
/// </summary>
public sealed class ParkedEventCount(IDeadLetterStore store, TimeProvider clock, ILogger<ParkedEventCount> logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private long _count = -1; // unknown until the first count: the gauge reports nothing rather than a made-up 0
    private long _countedAt;
    private int _counting;
    private volatile bool _changed = true;

    public IEnumerable<Measurement<long>> Observe()
    {
        var stale = _changed || clock.GetElapsedTime(Interlocked.Read(ref _countedAt)) > MaxAge;
        if (stale && Interlocked.Exchange(ref _counting, 1) == 0) _ = Task.Run(CountAsync);
        var count = Interlocked.Read(ref _count);
        return count < 0 ? [] : [new Measurement<long>(count)];
    }

    /// <summary>This process parked or removed an event: the next collection re-counts.</summary>
    public void Changed() => _changed = true;

    private async Task CountAsync()
    {
        try
        {
            // Cleared before counting, so a change made while the count runs triggers another one.
            _changed = false;
            Interlocked.Exchange(ref _count, await store.CountAsync());
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Counting parked events failed; the gauge keeps its last value");
        }
        finally
        {
            // A failure waits MaxAge too, so a broken store is not queried on every collection.
            Interlocked.Exchange(ref _countedAt, clock.GetTimestamp());
            Volatile.Write(ref _counting, 0);
        }
    }
}
