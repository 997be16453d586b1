namespace Kanbatte.Application;

/// <summary>
/// Each project's changes journal: an ordered log, numbered 1, 2, 3 ... per project, of the entities whose view
/// documents the projector changed. The projector appends an entry only after the view holds what it tells, so a
/// reader that lists the view after reading <see cref="HeadAsync"/> and then reads the entries after the head misses
/// nothing. Entries are kept for the retention (<see cref="ChangesOptions"/>) and then dropped.
/// </summary>
public interface IChangeJournal
{
    /// <summary>Names the view's generation: a rebuilt view starts another, and cursors of an earlier one are refused (410).</summary>
    Task<string> EpochAsync(CancellationToken ct = default);

    /// <summary>
    /// Appends the changes as the project's next entry (several, when they are too large for one) and returns the last
    /// entry's number. Call it after the view documents are written.
    /// </summary>
    Task<long> AppendAsync(string projectKey, IReadOnlyList<EntityChange> changes, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>The highest entry number handed out for the project (0 when none): every entry up to it follows view writes already made.</summary>
    Task<long> HeadAsync(string projectKey, CancellationToken ct = default);

    /// <summary>
    /// Up to <paramref name="maxEntries"/> entries after <paramref name="afterSeq"/>, in order and without a gap: the
    /// run starts at <paramref name="afterSeq"/> + 1 and stops before the first entry not yet readable. Throws
    /// <see cref="ChangesExpiredException"/> when the entry after <paramref name="afterSeq"/> was dropped.
    /// </summary>
    Task<IReadOnlyList<JournalEntry>> ReadAsync(string projectKey, long afterSeq, int maxEntries, CancellationToken ct = default);

    /// <summary>Drops the entries recorded before <paramref name="before"/>; returns how many (stores with a time to live drop them themselves).</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken ct = default);
}
