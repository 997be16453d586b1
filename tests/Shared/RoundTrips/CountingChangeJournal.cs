using Kanbatte.Application;

namespace Kanbatte.Testing.RoundTrips;

public sealed class CountingChangeJournal(IChangeJournal inner, RoundTripCounter counter) : IChangeJournal
{
    public Task<string> EpochAsync(CancellationToken ct = default)
    {
        counter.Hit("journal.epoch");
        return inner.EpochAsync(ct);
    }

    public Task<long> AppendAsync(string projectKey, IReadOnlyList<EntityChange> changes, DateTimeOffset at, CancellationToken ct = default)
    {
        counter.Hit("journal.append");
        return inner.AppendAsync(projectKey, changes, at, ct);
    }

    public Task<long> HeadAsync(string projectKey, CancellationToken ct = default)
    {
        counter.Hit("journal.head");
        return inner.HeadAsync(projectKey, ct);
    }

    public Task<IReadOnlyList<JournalEntry>> ReadAsync(string projectKey, long afterSeq, int maxEntries, CancellationToken ct = default)
    {
        counter.Hit("journal.read");
        return inner.ReadAsync(projectKey, afterSeq, maxEntries, ct);
    }

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        counter.Hit("journal.purge");
        return inner.PurgeAsync(before, ct);
    }
}
