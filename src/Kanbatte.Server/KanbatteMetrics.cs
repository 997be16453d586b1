using System.Diagnostics.Metrics;
using Kanbatte.Application;

namespace Kanbatte.Server;

/// <summary>
/// The instruments of the <see cref="Telemetry.MeterName"/> meter. It is also a step of the write pipeline: every append
/// is counted once it has committed, whatever the store.
/// </summary>
public sealed class KanbatteMetrics : IAfterCommitStep, IDisposable
{
    private readonly Meter _meter = new(Telemetry.MeterName);
    private readonly Counter<long> _appended;
    private long _lastAppended;

    public KanbatteMetrics(IServiceProvider services)
    {
        _appended = _meter.CreateCounter<long>("kanbatte.events.appended", "{event}", "Events appended to the log.");
        var parked = services.GetRequiredService<ParkedEventCount>();
        _meter.CreateObservableGauge("kanbatte.projection.parked", parked.Observe, "{event}",
            "Events the projector could not apply, parked in the dead letters until a re-drive applies them.");
        // In-process projection only (the self-hosted server); the Azure host's change feed reports its own lag.
        if (services.GetService<ProjectionProgress>() is { } progress)
            _meter.CreateObservableGauge("kanbatte.projection.lag", () => Math.Max(0, Volatile.Read(ref _lastAppended) - progress.Projected),
                "{event}", "Events this server appended that the projector has not yet applied to the view.");
    }

    /// <summary>This instance's meter (several servers in one test process each have their own).</summary>
    public Meter Meter => _meter;

    public Task AfterCommitAsync(IReadOnlyList<EventEnvelope> appended, long position, CancellationToken ct)
    {
        Appended(appended, position);
        return Task.CompletedTask;
    }

    public void Appended(IReadOnlyList<EventEnvelope> events, long position)
    {
        foreach (var e in events) _appended.Add(1, new KeyValuePair<string, object?>("type", e.Type));
        // Positions only grow; keep the highest seen (appends complete out of order under concurrency).
        for (var seen = Volatile.Read(ref _lastAppended); position > seen; seen = Volatile.Read(ref _lastAppended))
            if (Interlocked.CompareExchange(ref _lastAppended, position, seen) == seen) break;
    }

    public void Dispose() => _meter.Dispose();
}
