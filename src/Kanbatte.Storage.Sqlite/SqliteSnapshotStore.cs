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
/// They live in a file of their own beside the store's (<see cref="Path"/>), with the store's file attached to its
/// connections as <c>log</c>: a snapshot is one <c>INSERT ... SELECT</c> from the view into that file, in one transaction
/// of it, which holds no more than a reader's lock on the store's file. The writers never wait for a snapshot, however
/// many tasks it copies, and no document passes through .NET. Snapshots are derived data, like the view: each records
/// the event at its position, and a file whose log no longer holds that event (a store's file restored from a backup)
/// has its snapshots dropped and taken again. None is taken while one of a project's events is parked (the view lacks
/// it then). The server runs <see cref="CaptureAsync"/> in the background.
/// </para>
/// </summary>
public sealed class SqliteSnapshotStore : ISnapshotStore
{
    public const int DefaultEvery = 1000;

    private readonly SqliteDatabase _db;
    private readonly ILogger<SqliteSnapshotStore>? _logger;
    private readonly string _connectionString;
    // Events of each project since its last snapshot, counted through _scanned (the feed position): counted from the log
    // once per project after a start, then tallied from what each pass scans.
    private readonly Dictionary<string, long> _since = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _one = new(1, 1);
    private long _scanned = -1;

    public SqliteSnapshotStore(SqliteDatabase db, int every = DefaultEvery, ILogger<SqliteSnapshotStore>? logger = null)
    {
        (_db, Every, _logger) = (db, every, logger);
        Path = db.Path + "-snapshots";
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var schema = connection.CreateCommand();
        schema.CommandText = Schema;
        schema.ExecuteNonQuery();
    }

    public int Every { get; }

    /// <summary>The snapshots' file: the store's path and <c>-snapshots</c>.</summary>
    public string Path { get; }

    // The event at a position, as a snapshot records it: stream, version and time (a log that diverged after a restore
    // would have to repeat all three at the same position to pass for the history the snapshot was taken of).
    private const string EventAt = "SELECT stream_id || ' ' || version || ' ' || recorded_at FROM {0}event_log WHERE position = {1}";

    public async Task<BoardSnapshot?> LatestAsync(string projectKey, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var transaction = connection.BeginTransaction(deferred: true); // the snapshot and its rows, consistent
        var latest = Command(connection, transaction, """
            SELECT s.position, s.at, s.event, (SELECT MAX(f.position) FROM board_snapshots f WHERE f.project_key = $k AND f.full = 1 AND f.position <= s.position)
            FROM board_snapshots s WHERE s.project_key = $k AND s.at <= $at
            ORDER BY s.at DESC, s.position DESC LIMIT 1
            """);
        latest.Parameters.AddWithValue("$k", projectKey);
        latest.Parameters.AddWithValue("$at", KanbatteJson.Format(at));
        long position, full;
        string recorded;
        DateTimeOffset taken;
        await using (var reader = await latest.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct) || reader.IsDBNull(3)) return null;
            position = reader.GetInt64(0);
            taken = DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            recorded = reader.GetString(2);
            full = reader.GetInt64(3);
        }
        if (!await StillInTheLogAsync(position, recorded, ct)) return null; // folding the whole history is slow, never wrong
        // From the last full snapshot up to this one, each task's latest row: the tasks plus the deltas since, never the
        // whole history. One range of the table, in position order, so a later row of a task replaces an earlier one.
        var tasks = Command(connection, transaction, "SELECT task_id, data FROM board_snapshot_rows WHERE project_key = $k AND position BETWEEN $full AND $p ORDER BY position");
        tasks.Parameters.AddWithValue("$k", projectKey);
        tasks.Parameters.AddWithValue("$full", full);
        tasks.Parameters.AddWithValue("$p", position);
        var json = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var reader = await tasks.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) json[reader.GetString(0)] = reader.GetString(1);
        return new BoardSnapshot(projectKey, position.ToString(CultureInfo.InvariantCulture), taken, [.. json.Values]);
    }

    /// <summary>Whether the store's log still holds, at <paramref name="position"/>, the event a snapshot was taken at.</summary>
    private async Task<bool> StillInTheLogAsync(long position, string recorded, CancellationToken ct)
    {
        await using var session = _db.Read();
        var command = session.Command(string.Format(CultureInfo.InvariantCulture, EventAt, "", "$p"));
        command.Parameters.AddWithValue("$p", position);
        if (await command.ExecuteScalarAsync(ct) as string == recorded) return true;
        _logger?.LogWarning("The board snapshots in {Path} were taken of another history than the log's (at position {Position}); boards as of a time fold the log until they are taken again", Path, position);
        return false;
    }

    /// <summary>Takes the snapshots now due, of what the view holds.</summary>
    public async Task CaptureAsync(CancellationToken ct = default)
    {
        await _one.WaitAsync(ct);
        try
        {
            await using var connection = await OpenWithLogAsync(ct);
            await DropIfOutOfStepAsync(connection, ct);
            foreach (var (project, from) in await DueAsync(connection, ct)) await TakeAsync(connection, project, from, ct);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>A connection to the snapshots' file with the store's file attached as <c>log</c>.</summary>
    private async Task<SqliteConnection> OpenWithLogAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        var attached = connection.CreateCommand();
        attached.CommandText = "SELECT COUNT(*) FROM pragma_database_list WHERE name = 'log'";
        if ((long)(await attached.ExecuteScalarAsync(ct))! == 0)
        {
            // A pooled connection keeps what is attached to it; a new one is attached once.
            var attach = connection.CreateCommand();
            attach.CommandText = "ATTACH DATABASE $path AS log; PRAGMA main.synchronous = NORMAL;";
            attach.Parameters.AddWithValue("$path", _db.Path);
            await attach.ExecuteNonQueryAsync(ct);
        }
        return connection;
    }

    /// <summary>
    /// Drops every snapshot when the latest was taken of another history than the log's: the store's file restored from a
    /// backup, or replaced. Comparing the latest is enough: the log is append-only, so one that holds the event a snapshot
    /// was taken at holds everything before it too.
    /// </summary>
    private async Task DropIfOutOfStepAsync(SqliteConnection connection, CancellationToken ct)
    {
        var check = connection.CreateCommand();
        check.CommandText = $"""
            SELECT s.position FROM board_snapshots s WHERE s.position = (SELECT MAX(position) FROM board_snapshots)
            AND s.event IS NOT ({string.Format(CultureInfo.InvariantCulture, EventAt, "log.", "s.position")})
            """;
        if (await check.ExecuteScalarAsync(ct) is not long position) return;
        _logger?.LogWarning("The board snapshots in {Path} were taken of another history than the log's (at position {Position}); dropped, taken again", Path, position);
        var drop = connection.CreateCommand();
        drop.CommandText = "DELETE FROM board_snapshot_rows; DELETE FROM board_snapshots;";
        await drop.ExecuteNonQueryAsync(ct);
        _scanned = -1;
        _since.Clear();
    }
    /// <summary>The projects due a snapshot, each with the position of its last one (0: none yet).</summary>
    private async Task<List<(string Project, long From)>> DueAsync(SqliteConnection connection, CancellationToken ct)
    {
        var through = await CheckpointAsync(connection, ct);
        if (_scanned < 0)
        {
            // After a start: each project's events since its last snapshot.
            var count = Command(connection, null, """
                SELECT e.project_key, COUNT(*) FROM log.event_log e
                WHERE e.position <= $to AND e.position > COALESCE((SELECT MAX(position) FROM board_snapshots s WHERE s.project_key = e.project_key), 0)
                GROUP BY e.project_key
                """);
            count.Parameters.AddWithValue("$to", through);
            await using var reader = await count.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) _since[reader.GetString(0)] = reader.GetInt64(1);
        }
        else if (through > _scanned)
        {
            var count = Command(connection, null, "SELECT project_key, COUNT(*) FROM log.event_log WHERE position > $from AND position <= $to GROUP BY project_key");
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
            var last = Command(connection, null, "SELECT COALESCE(MAX(position), 0) FROM board_snapshots WHERE project_key = $k");
            last.Parameters.AddWithValue("$k", project);
            due.Add((project, (long)(await last.ExecuteScalarAsync(ct))!));
        }
        return due;
    }

    /// <summary>
    /// One snapshot of <paramref name="project"/>: the tasks changed after <paramref name="from"/> as the view holds them
    /// now, or every task (a full snapshot) when the rows since the last full one reach the project's task count, so
    /// composing a board never reads more than about twice the project's tasks. One transaction of the snapshots' file,
    /// reading the store's file as one consistent state (the view and the position it reflects).
    /// </summary>
    private async Task TakeAsync(SqliteConnection connection, string project, long from, CancellationToken ct)
    {
        long position;
        try
        {
            // Deferred, never IMMEDIATE: an immediate transaction takes the write lock of every attached file, the log's too,
            // and every writer would wait for the copy (stalls of 150 ms, measured).
            await using var transaction = connection.BeginTransaction(deferred: true);
            // The snapshot's time is the latest recorded time of the events it covers (clocks may step back, so the latest,
            // not the last): that of the previous snapshot, which covers the events up to it, or of an event after it.
            // Read so, it costs the events since the previous snapshot, not the project's whole history.
            var state = Command(connection, transaction, $"""
                SELECT c.position,
                       (SELECT MAX(at) FROM (
                            SELECT recorded_at AS at FROM log.event_log WHERE project_key = $k AND position > $from AND position <= c.position
                            UNION ALL
                            SELECT at FROM board_snapshots WHERE project_key = $k AND position = $from)),
                       (SELECT COUNT(*) FROM log.view WHERE partition = $k AND kind = 'task'),
                       (SELECT MAX(position) FROM board_snapshots WHERE project_key = $k AND full = 1),
                       (SELECT COALESCE(SUM(tasks), 0) FROM board_snapshots WHERE project_key = $k AND position > COALESCE(
                            (SELECT MAX(position) FROM board_snapshots WHERE project_key = $k AND full = 1), 0)),
                       ({string.Format(CultureInfo.InvariantCulture, EventAt, "log.", "c.position")})
                FROM log.checkpoints c WHERE c.consumer = $c
                -- The view holds the events up to the checkpoint and no other only when none follows it: the feed
                -- projection (catching up after a start, or after an append it could not project inline) writes the
                -- view before it moves the checkpoint.
                AND c.position = (SELECT MAX(position) FROM log.event_log)
                -- While one of the project's events is parked the view lacks it: no snapshot until it is re-driven.
                AND NOT EXISTS (SELECT 1 FROM log.dead_letter WHERE stream_id = 'project:' || $k OR stream_id LIKE 'task:' || $k || '-%')
                """);
            state.Parameters.AddWithValue("$k", project);
            state.Parameters.AddWithValue("$from", from);
            state.Parameters.AddWithValue("$c", FeedProjection.Consumer);
            string at, recorded;
            bool full;
            await using (var reader = await state.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct) || reader.IsDBNull(1) || reader.IsDBNull(5) || reader.GetInt64(0) <= from) return;
                (position, at, recorded) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(5));
                var (tasks, lastFull, sinceFull) = (reader.GetInt64(2), reader.IsDBNull(3) ? (long?)null : reader.GetInt64(3), reader.GetInt64(4));
                full = lastFull is null || sinceFull >= Math.Max(tasks, Every);
            }
            var copy = Command(connection, transaction, $"""
                INSERT INTO board_snapshot_rows (project_key, position, task_id, data)
                SELECT $k, $p, substr(v.id, {"task:".Length + 1}), v.data FROM log.view v
                WHERE v.partition = $k AND v.kind = 'task'
                """ + (full ? "" : """

                AND v.id IN (SELECT DISTINCT stream_id FROM log.event_log WHERE project_key = $k AND position > $from AND position <= $p AND stream_id LIKE 'task:%')
                """));
            copy.Parameters.AddWithValue("$k", project);
            copy.Parameters.AddWithValue("$p", position);
            copy.Parameters.AddWithValue("$from", from);
            var copied = await copy.ExecuteNonQueryAsync(ct);
            var insert = Command(connection, transaction, "INSERT INTO board_snapshots (project_key, position, at, full, tasks, event) VALUES ($k, $p, $at, $full, $tasks, $event)");
            insert.Parameters.AddWithValue("$k", project);
            insert.Parameters.AddWithValue("$p", position);
            insert.Parameters.AddWithValue("$at", at);
            insert.Parameters.AddWithValue("$full", full ? 1 : 0);
            insert.Parameters.AddWithValue("$tasks", copied);
            insert.Parameters.AddWithValue("$event", recorded);
            await insert.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (SqliteException e)
        {
            // Derived data: the project's next events make a snapshot due again, covering these tasks too.
            _logger?.LogWarning(e, "Board snapshot of {Project} after {From} failed", project, from);
            return;
        }
        var since = Command(connection, null, "SELECT COUNT(*) FROM log.event_log WHERE project_key = $k AND position > $p AND position <= $scanned");
        since.Parameters.AddWithValue("$k", project);
        since.Parameters.AddWithValue("$p", position);
        since.Parameters.AddWithValue("$scanned", _scanned);
        _since[project] = (long)(await since.ExecuteScalarAsync(ct))!;
    }

    private static async Task<long> CheckpointAsync(SqliteConnection connection, CancellationToken ct)
    {
        var command = Command(connection, null, "SELECT position FROM log.checkpoints WHERE consumer = $c");
        command.Parameters.AddWithValue("$c", FeedProjection.Consumer);
        return await command.ExecuteScalarAsync(ct) is long position ? position : 0;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    // The snapshots' file. A snapshot is written in one transaction, so there is no snapshot cut short to tell apart.
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS board_snapshots (
            project_key TEXT    NOT NULL,
            position    INTEGER NOT NULL,
            at          TEXT    NOT NULL,
            full        INTEGER NOT NULL,
            tasks       INTEGER NOT NULL,
            event       TEXT    NOT NULL, -- the event at position (stream, version, time): which history this was taken of
            PRIMARY KEY (project_key, position)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_board_snapshots_at ON board_snapshots (project_key, at);
        -- Keyed by position first: a snapshot's rows are appended after the previous snapshot's, filling pages in order,
        -- and a board is composed by reading one range of them in order.
        CREATE TABLE IF NOT EXISTS board_snapshot_rows (
            project_key TEXT    NOT NULL,
            position    INTEGER NOT NULL,
            task_id     TEXT    NOT NULL,
            data        TEXT    NOT NULL,
            PRIMARY KEY (project_key, position, task_id)
        ) WITHOUT ROWID;
        """;
}
