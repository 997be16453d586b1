namespace Kanbatte.Application;

/// <summary>One pull of the changes feed: the changes in order, where to pull from next, and whether to pull again at once.</summary>
public sealed record ChangesPage(IReadOnlyList<EntityChange> Changes, ChangesCursor Cursor, bool HasMore);
