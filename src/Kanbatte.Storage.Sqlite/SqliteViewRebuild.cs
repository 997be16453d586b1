using System.Diagnostics;
using Kanbatte.Application;

namespace Kanbatte.Storage.Sqlite;

/// <summary>
/// Builds the view afresh from the log into a new table (<c>view_rebuild</c>) while the old one keeps serving, then
/// swaps it in with one transaction that also moves the projector's checkpoint to the position the new view reflects
/// and starts a new view epoch (changes cursors from before answer 410, so clients take the rebuilt view afresh).
/// The swap happens only when the new table has caught up with the whole log (checked under the write lock, so no
/// append can slip in between); otherwise it catches up again and retries. A server projecting meanwhile stays
/// correct: its checkpoint can only be at or behind the swapped one, and the view never moves a document backwards.
/// </summary>
public sealed class SqliteViewRebuild(SqliteDatabase db, SqliteEventStore events)
{
    public const string RebuildTable = "view_rebuild";
    public const int BatchSize = 2_000;
    private const int MaxSwapAttempts = 50;

    public async Task<ViewRebuildResult> RunAsync(IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        await ExecuteAsync($"DROP TABLE IF EXISTS {RebuildTable};" + SqliteDatabase.ViewTable(RebuildTable), ct);

        // No changes journal: the live projector keeps it, and the swap starts a new view epoch.
        var projector = new Projector(new SqliteViewStore(db, RebuildTable), events, journal: null);
        long position = 0, total = 0;
        for (var attempt = 1; ; attempt++)
        {
            // Streamed in batches: memory stays flat whatever the size of the log.
            for (var batch = await events.ReadAllAsync(position, BatchSize, ct); batch.Count > 0; batch = await events.ReadAllAsync(position, BatchSize, ct))
            {
                await projector.ProjectAsync(batch, ct);
                position = batch[^1].Position;
                total += batch.Count;
                progress?.Report(total);
            }
            if (await TrySwapAsync(position, ct)) return new ViewRebuildResult(total, position, clock.Elapsed, attempt);
            if (attempt == MaxSwapAttempts) throw new InvalidOperationException($"The log kept growing; the rebuilt view could not be swapped in after {attempt} attempts.");
        }
    }

    /// <summary>Swaps the rebuilt table in, if nothing was appended after <paramref name="position"/>.</summary>
    private Task<bool> TrySwapAsync(long position, CancellationToken ct) =>
        db.WriteAsync(async session =>
        {
            // Schema changes run on plain commands: the session keeps prepared statements only for the hot paths.
            await using var command = session.Connection.CreateCommand();
            command.Transaction = session.Transaction;
            command.CommandText = "SELECT COALESCE(MAX(position), 0) FROM event_log";
            if ((long)(await command.ExecuteScalarAsync(ct))! != position) return false;

            // Readers keep the snapshot they started with (WAL); the next read sees the new table.
            command.CommandText = $"""
                DROP TABLE {SqliteViewStore.DefaultTable};
                ALTER TABLE {RebuildTable} RENAME TO {SqliteViewStore.DefaultTable};
                {SqliteDatabase.ViewIndexes}
                {SqliteDatabase.RecountTasks}
                UPDATE view_epoch SET epoch = lower(hex(randomblob(8)));
                INSERT INTO checkpoints (consumer, position) VALUES ($consumer, $position)
                ON CONFLICT (consumer) DO UPDATE SET position = excluded.position;
                """;
            command.Parameters.AddWithValue("$consumer", FeedProjection.Consumer);
            command.Parameters.AddWithValue("$position", position);
            await command.ExecuteNonQueryAsync(ct);
            return true;
        }, ct);

    private Task ExecuteAsync(string sql, CancellationToken ct) =>
        db.WriteAsync(async session =>
        {
            await using var command = session.Connection.CreateCommand();
            command.Transaction = session.Transaction;
            command.CommandText = sql;
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);
}
