using Kanbatte.Application;

namespace Kanbatte.Testing.RoundTrips;

public sealed class CountingSnapshotStore(ISnapshotStore inner, RoundTripCounter counter) : ISnapshotStore
{
    public Task<BoardSnapshot?> LatestAsync(string projectKey, DateTimeOffset at, CancellationToken ct = default)
    {
        counter.Hit("snapshot.latest");
        return inner.LatestAsync(projectKey, at, ct);
    }
}
