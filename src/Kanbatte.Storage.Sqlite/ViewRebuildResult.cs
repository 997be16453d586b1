namespace Kanbatte.Storage.Sqlite;

/// <summary>What a rebuild did: events projected, the log position the new view reflects, and how long it took.</summary>
public sealed record ViewRebuildResult(long Events, long Position, TimeSpan Elapsed, int SwapAttempts);
