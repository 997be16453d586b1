using Kanbatte.Application;

namespace Kanbatte.Server;

/// <summary>Tells <see cref="ParkedEventCount"/> when this process changed the parked set, whatever the store.</summary>
public sealed class ObservedDeadLetterStore(IDeadLetterStore inner, ParkedEventCount count) : IDeadLetterStore
{
    public async Task ParkAsync(EventEnvelope e, string error, DateTimeOffset at, CancellationToken ct = default)
    {
        await inner.ParkAsync(e, error, at, ct);
        count.Changed();
    }

    public async Task RemoveAsync(string streamId, int version, CancellationToken ct = default)
    {
        await inner.RemoveAsync(streamId, version, ct);
        count.Changed();
    }

    public Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, DeadLetterKey? after = null, CancellationToken ct = default) => inner.ListAsync(limit, after, ct);

    public Task<long> CountAsync(CancellationToken ct = default) => inner.CountAsync(ct);
}
