using Kanbatte.Application;

namespace Kanbatte.Testing.RoundTrips;

public sealed class CountingCounterStore(ICounterStore inner, RoundTripCounter counter) : ICounterStore
{
    public Task<int> NextAsync(string projectKey, string name, CancellationToken ct = default)
    {
        counter.Hit("counter.next");
        return inner.NextAsync(projectKey, name, ct);
    }
}
