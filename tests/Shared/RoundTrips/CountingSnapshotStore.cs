using Kanbatte.Application;

namespace Kanbatte.Testing.RoundTrips;

public sealed class CountingSnapshotStore(ISnapshotStore inner, RoundTripCounter counter) : ISnapshotStore
{
    public Task<BoardSnapshot?> LatestAsync(string projectKey, DateTimeOffset at, CancellationToken ct = default)
    {
        counter.Hit("snapshot.latest");
        return inner.LatestAsync(projectKey, at, ct);
    }

    public Task CaptureAsync(IReadOnlyList<EventEnvelope> projected, CancellationToken ct = default)
    {
        counter.Hit("snapshot.capture");
        return inner.CaptureAsync(projected, ct);
    }
}
