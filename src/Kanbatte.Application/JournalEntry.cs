namespace Kanbatte.Application;

/// <summary>One entry of a project's changes journal: the entities one projected batch changed, in the order it wrote them.</summary>
public sealed record JournalEntry(long Seq, DateTimeOffset At, IReadOnlyList<EntityChange> Changes);
