using System.Globalization;
using Kanbatte.Application;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Storage.Sqlite;

/// <summary>
/// Board snapshots, so a board as of any time folds a bounded tail of events: every <see cref="Every"/> events of a
/// project, a snapshot records the tasks that changed since the project's previous snapshot (a delta, one row a task),
/// as the view holds them at one feed position, and now and then every task (a full snapshot, once the deltas since the
/// last full one hold as many rows as the project has tasks). A board as of a snapshot is the last full one with each
/// task's latest row up to it, so a board as of any time reads at most about twice the project's tasks plus about
/// <see cref="Every"/> events, and snapshots cost about two rows per event, however large the project grows.
/// <para>
/// Nothing of it runs in a writer's turn but small writes: the tasks are read in one read transaction (the view and its
/// checkpoint, consistent), then written in chunks of <see cref="ChunkSize"/> rows, each its own short write, and the
/// snapshot is marked complete last (a snapshot cut short is never used, and the next one covers its tasks again).
/// The server runs <see cref="CaptureAsync"/> in the background. Snapshots are derived data, like the view. None is
/// taken while one of a project's events is parked (the view lacks it then).
/// </para>
/// </summary>
public sealed class SqliteSnapshotStore(SqliteDatabase db, int every = SqliteSnapshotStore.DefaultEvery, ILogger<SqliteSnapshotStore>? logger = null)
    : ISnapshotStore
{
    public const int DefaultEvery = 1000;
    public const int ChunkSize = 200;

    // Events of each project since its last snapshot, counted through _scanned (the feed position): counted from the log
    // once per project after a start, then tallied from what each pass scans.
    private readonly Dictionary<string, long> _since = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _one = new(1, 1);
    private long _scanned = -1;

    public int Every { get; } = every;

    public async Task<BoardSnapshot?> LatestAsync(string projectKey, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var session = db.Read();
        await using var transaction = session.BeginRead(); // the snapshot and its rows, consistent
        var latest = Command(session, transaction, """
            SELECT s.position, s.at, (SELECT MAX(f.position) FROM board_snapshots f WHERE f.project_key = $k AND f.full = 1 AND f.complete = 1 AND f.position <= s.position)
            FROM board_snapshots s WHERE s.project_key = $k AND s.at <= $at AND s.complete = 1
            ORDER BY s.at DESC, s.position DESC LIMIT 1
            """);
        latest.Parameters.AddWithValue("$k", projectKey);
        latest.Parameters.AddWithValue("$at", KanbatteJson.Format(at));
        long position, full;
        DateTimeOffset taken;
        await using (var reader = await latest.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct) || reader.IsDBNull(2)) return null;
            position = reader.GetInt64(0);
            taken = DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            full = reader.GetInt64(2);
        }
        // From the last full snapshot up to this one, each task's latest row: the tasks plus the deltas since, never the
        // whole history. One range of the table, in position order, so a later row of a task replaces an earlier one.
        var tasks = Command(session, transaction, "SELECT task_id, data FROM board_snapshot_rows WHERE project_key = $k AND position BETWEEN $full AND $p ORDER BY position");
        tasks.Parameters.AddWithValue("$k", projectKey);
        tasks.Parameters.AddWithValue("$full", full);
        tasks.Parameters.AddWithValue("$p", position);
        var json = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var reader = await tasks.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) json[reader.GetString(0)] = reader.GetString(1);
        return new BoardSnapshot(projectKey, position.ToString(CultureInfo.InvariantCulture), taken, [.. json.Values]);
    }

    /// <summary>Takes the snapshots now due, of what the view holds.</summary>
    public async Task CaptureAsync(CancellationToken ct = default)
    {
        await _one.WaitAsync(ct);
        try
        {
            foreach (var (project, from) in await DueAsync(ct)) await TakeAsync(project, from, ct);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>The projects due a snapshot, each with the position of its last one (0: none yet).</summary>
    private async Task<List<(string Project, long From)>> DueAsync(CancellationToken ct)
    {
        await using var session = db.Read();
        var through = await CheckpointAsync(session, null, ct);
        if (_scanned < 0)
        {
            // After a start: each project's events since its last complete snapshot.
            var count = session.Command("""
                SELECT e.project_key, COUNT(*) FROM event_log e
                WHERE e.position <= $to AND e.position > COALESCE((SELECT MAX(position) FROM board_snapshots s WHERE s.project_key = e.project_key AND s.complete = 1), 0)
                GROUP BY e.project_key
                """);
            count.Parameters.AddWithValue("$to", through);
            await using var reader = await count.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) _since[reader.GetString(0)] = reader.GetInt64(1);
        }
        else if (through > _scanned)
        {
            var count = session.Command("SELECT project_key, COUNT(*) FROM event_log WHERE position > $from AND position <= $to GROUP BY project_key");
            count.Parameters.AddWithValue("$from", _scanned);
            count.Parameters.AddWithValue("$to", through);
            await using var reader = await count.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) _since[reader.GetString(0)] = _since.GetValueOrDefault(reader.GetString(0)) + reader.GetInt64(1);
        }
        _scanned = Math.Max(_scanned, through);

        var due = new List<(string, long)>();
        foreach (var (project, events) in _since)
        {
            if (events < Every) continue;
            // While one of the project's events is parked the view lacks it: no snapshot until it is re-driven.
            var check = session.Command("""
                SELECT NOT EXISTS (SELECT 1 FROM dead_letter WHERE stream_id = 'project:' || $k OR stream_id LIKE 'task:' || $k || '-%'),
                       COALESCE((SELECT MAX(position) FROM board_snapshots WHERE project_key = $k AND complete = 1), 0)
                """);
            check.Parameters.AddWithValue("$k", project);
            await using var reader = await check.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            if (reader.GetBoolean(0)) due.Add((project, reader.GetInt64(1)));
        }
        return due;
    }

    /// <summary>
    /// One snapshot of <paramref name="project"/>: the tasks changed after <paramref name="from"/> as the view holds them
    /// now, or every task (a full snapshot) when the rows since the last full one reach the project's task count, so
    /// composing a board never reads more than about twice the project's tasks.
    /// </summary>
    private async Task TakeAsync(string project, long from, CancellationToken ct)
    {
        long position;
        string? at;
        bool full;
        var rows = new List<(string TaskId, string Data)>();
        await using (var session = db.Read())
        await using (var transaction = session.BeginRead()) // the view and the position it reflects, consistent
        {
            position = await CheckpointAsync(session, transaction, ct);
            // The snapshot's time is the latest recorded time of the events it covers (clocks may step back, so the latest,
            // not the last): that of the previous snapshot, which covers the events up to it, or of an event after it.
            // Read so, it costs the events since the previous snapshot, not the project's whole history (30-96 ms at
            // 119,000 events, read that way before).
            var state = Command(session, transaction, """
                SELECT (SELECT MAX(at) FROM (
                            SELECT recorded_at AS at FROM event_log WHERE project_key = $k AND position > $from AND position <= $p
                            UNION ALL
                            SELECT at FROM board_snapshots WHERE project_key = $k AND position = $from AND complete = 1)),
                       (SELECT COUNT(*) FROM view WHERE partition = $k AND kind = 'task'),
                       (SELECT MAX(position) FROM board_snapshots WHERE project_key = $k AND full = 1 AND complete = 1),
                       (SELECT COALESCE(SUM(tasks), 0) FROM board_snapshots WHERE project_key = $k AND complete = 1 AND position > COALESCE(
                            (SELECT MAX(position) FROM board_snapshots WHERE project_key = $k AND full = 1 AND complete = 1), 0))
                """);
            state.Parameters.AddWithValue("$k", project);
            state.Parameters.AddWithValue("$from", from);
            state.Parameters.AddWithValue("$p", position);
            await using (var reader = await state.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                at = reader.IsDBNull(0) ? null : reader.GetString(0);
                var (tasks, lastFull, sinceFull) = (reader.GetInt64(1), reader.IsDBNull(2) ? (long?)null : reader.GetInt64(2), reader.GetInt64(3));
                full = lastFull is null || sinceFull >= Math.Max(tasks, Every);
            }
            var changed = Command(session, transaction, full
                ? "SELECT id, data FROM view WHERE partition = $k AND kind = 'task'"
                : """
                  SELECT v.id, v.data FROM view v
                  WHERE v.partition = $k AND v.kind = 'task' AND v.id IN (
                      SELECT DISTINCT stream_id FROM event_log WHERE project_key = $k AND position > $from AND position <= $p AND stream_id LIKE 'task:%')
                  """);
            changed.Parameters.AddWithValue("$k", project);
            changed.Parameters.AddWithValue("$from", from);
            changed.Parameters.AddWithValue("$p", position);
            await using var tasksReader = await changed.ExecuteReaderAsync(ct);
            while (await tasksReader.ReadAsync(ct)) rows.Add((tasksReader.GetString(0)["task:".Length..], tasksReader.GetString(1)));
        }
        if (at is null || position <= from) return;

        try
        {
            // Small writes only: the snapshot, its rows a chunk at a time, then the mark that makes it usable.
            await db.WriteAsync(async session =>
            {
                var insert = session.Command("INSERT OR IGNORE INTO board_snapshots (project_key, position, at, full, tasks, complete) VALUES ($k, $p, $at, $full, $tasks, 0)");
                insert.Parameters.AddWithValue("$k", project);
                insert.Parameters.AddWithValue("$p", position);
                insert.Parameters.AddWithValue("$at", at);
                insert.Parameters.AddWithValue("$full", full ? 1 : 0);
                insert.Parameters.AddWithValue("$tasks", rows.Count);
                return await insert.ExecuteNonQueryAsync(ct);
            }, ct);
            foreach (var chunk in rows.Chunk(ChunkSize))
                await db.WriteAsync(async session =>
                {
                    var insert = session.Command("INSERT OR REPLACE INTO board_snapshot_rows (project_key, position, task_id, data) VALUES ($k, $p, $t, $d)");
                    var task = insert.Parameters.Add("$t", SqliteType.Text);
                    var data = insert.Parameters.Add("$d", SqliteType.Text);
                    insert.Parameters.AddWithValue("$k", project);
                    insert.Parameters.AddWithValue("$p", position);
                    foreach (var (id, json) in chunk)
                    {
                        (task.Value, data.Value) = (id, json);
                        await insert.ExecuteNonQueryAsync(ct);
                    }
                    return true;
                }, ct);
            await db.WriteAsync(async session =>
            {
                var done = session.Command("UPDATE board_snapshots SET complete = 1 WHERE project_key = $k AND position = $p");
                done.Parameters.AddWithValue("$k", project);
                done.Parameters.AddWithValue("$p", position);
                return await done.ExecuteNonQueryAsync(ct);
            }, ct);
            await using var session = db.Read();
            var since = session.Command("SELECT COUNT(*) FROM event_log WHERE project_key = $k AND position > $p AND position <= $scanned");
            since.Parameters.AddWithValue("$k", project);
            since.Parameters.AddWithValue("$p", position);
            since.Parameters.AddWithValue("$scanned", _scanned);
            _since[project] = (long)(await since.ExecuteScalarAsync(ct))!;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Derived data: the project's next events make a snapshot due again, covering these tasks too.
            logger?.LogWarning(e, "Board snapshot of {Project} at {Position} failed", project, position);
        }
    }

    private static async Task<long> CheckpointAsync(SqliteSession session, SqliteTransaction? transaction, CancellationToken ct)
    {
        var command = Command(session, transaction, "SELECT position FROM checkpoints WHERE consumer = $c");
        command.Parameters.AddWithValue("$c", FeedProjection.Consumer);
        return await command.ExecuteScalarAsync(ct) is long position ? position : 0;
    }

    /// <summary>A prepared command of the reading session, in <paramref name="transaction"/> when there is one.</summary>
    private static SqliteCommand Command(SqliteSession session, SqliteTransaction? transaction, string sql)
    {
        var command = session.Command(sql);
        command.Transaction = transaction;
        return command;
    }
}
