using Kanbatte.Application;

namespace Kanbatte.Testing.RoundTrips;

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
