using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Kanbatte.Storage.Sqlite;

/// <summary>
/// The embedded store's file: schema, connections and the single writer. SQLite allows one writer at a time, so writes
/// queue on an in-process lock, on one connection kept open for them, instead of spinning on SQLITE_BUSY; readers use
/// connections of their own and never wait (WAL). Every connection keeps its prepared statements (<see cref="SqliteSession"/>).
/// </summary>
public sealed class SqliteDatabase : ISqliteSessions, IDisposable
{
    private readonly string _connectionString;
    private readonly string _synchronous;
    private const int MaxIdleReaders = 64;
    private const int MaxGroupCommit = 256;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly ConcurrentQueue<IQueuedWrite> _queued = new();
    // A lock-free stack (not a ConcurrentBag: sessions are taken and given back on different threads, which makes a bag steal under locks).
    private readonly ConcurrentStack<SqliteSession> _readers = new();
    private int _idleReaders;
    private SqliteSession? _writeSession;

    /// <summary>
    /// The WAL's size, in pages, past which the writer checkpoints itself though checkpoints run in the background: four
    /// times <see cref="SqliteOptions.MaxWalPages"/>. Close above it the net caught the ordinary load, not a failure: the
    /// background checkpoint looks every half second and its PASSIVE copy alone took up to 0.55 s on a 0.9 GB file while
    /// random updates added about 10,000 pages a second, so the WAL crossed 20,000 pages first, and the writer then copied
    /// it inside a commit (135-177 ms, every writer queued behind it).
    /// </summary>
    public int SafetyNetCheckpointPages => 4 * _maxWalPages;

    private readonly bool _backgroundCheckpoints;
    private readonly int _maxWalPages;
    private SqliteConnection? _checkpointer;
    private int _walPagesBefore; // the WAL's size at the previous checkpoint: unchanged means writes have paused

    public SqliteDatabase(SqliteOptions options)
    {
        _backgroundCheckpoints = options.BackgroundCheckpoints;
        _maxWalPages = options.MaxWalPages;
        _synchronous = options.Synchronous.ToUpperInvariant() switch
        {
            "OFF" or "NORMAL" or "FULL" or "EXTRA" => options.Synchronous.ToUpperInvariant(),
            var other => throw new ArgumentException($"Kanbatte:Sqlite:Synchronous must be NORMAL, FULL, EXTRA or OFF, not '{other}'."),
        };
        var full = System.IO.Path.GetFullPath(options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        Path = full;
        Counters = new SqliteCounters(this);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        var counted = Exists(connection, "view_task_counts");
        // A file from before the board snapshots had a file of their own (SqliteSnapshotStore): derived data, taken again there.
        if (Exists(connection, "board_snapshots")) Execute(connection, DropSnapshotTables);
        Execute(connection, Schema + ViewTable("view"));
        if (!HasColumn(connection, "view", "number")) Execute(connection, AddListColumns); // a file from before the list columns
        Execute(connection, ViewIndexes);
        if (!counted) Execute(connection, RecountTasks); // a file from before the counts: counted once, kept by the triggers after
    }

    public string Path { get; }

    /// <summary>Task, comment and followup numbers: handed out from memory, written with the next group commit.</summary>
    internal SqliteCounters Counters { get; }

    /// <summary>A reading session from the store's pool (with its prepared statements); disposing it gives it back.</summary>
    public SqliteSession Read()
    {
        if (_readers.TryPop(out var session))
        {
            Interlocked.Decrement(ref _idleReaders);
            return session;
        }
        var connection = Open();
        AddTextSearch(connection);
        return new SqliteSession(connection, Release);
    }

    private void Release(SqliteSession session)
    {
        if (Interlocked.Increment(ref _idleReaders) <= MaxIdleReaders) _readers.Push(session);
        else
        {
            Interlocked.Decrement(ref _idleReaders);
            session.Close();
        }
    }

    /// <summary>A plain pooled connection, for one-off work (Microsoft.Data.Sqlite retries a busy file up to its 30 s command timeout).</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Adds <c>kb_contains(text, part)</c> to a connection: SQLite's own lower()/LIKE fold ASCII only, task search folds like .NET.</summary>
    private static void AddTextSearch(SqliteConnection connection) =>
        connection.CreateFunction("kb_contains", (string? text, string? part) =>
            text is not null && part is not null && text.Contains(part, StringComparison.OrdinalIgnoreCase), isDeterministic: true);

    /// <summary>
    /// Runs <paramref name="work"/> atomically on the writer's session, and returns once it is committed. Writes that
    /// queue up while another commits are committed together (group commit): one transaction, each write in a savepoint
    /// of its own, so a write that fails is rolled back alone while the others commit. Under concurrent load this turns
    /// many small transactions into a few, which is most of what a write costs in SQLite. The appends' in-transaction
    /// steps (inline projection) run once on everything the group appended, just before it commits
    /// (<see cref="TransactionAppends"/>), and what they leave to do after the commit is done before any write returns.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteSession, Task<T>> work, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var write = new QueuedWrite<T>(work);
        _queued.Enqueue(write);
        await _writer.WaitAsync(CancellationToken.None); // queued work is run by whoever holds the lock, so waiting is short
        try
        {
            if (!write.Done) await CommitQueuedAsync();
        }
        finally
        {
            _writer.Release();
        }
        return await write.Result;
    }

    private async Task CommitQueuedAsync()
    {
        var group = new List<IQueuedWrite>();
        while (group.Count < MaxGroupCommit && _queued.TryDequeue(out var next)) group.Add(next);
        var session = _writeSession ??= new SqliteSession(OpenWriter(), release: null);
        Exception? failed = null;
        List<Action> committed = [];
        try
        {
            await using var transaction = session.Connection.BeginTransaction(deferred: false);
            session.Transaction = transaction;
            // Every counter that moved, so each number these writes carry (handed out before they were queued) commits with them.
            var countersWritten = Counters.Write(session);
            foreach (var write in group)
            {
                session.Command("SAVEPOINT write").ExecuteNonQuery();
                if (await write.RunAsync(session))
                {
                    session.Command("RELEASE write").ExecuteNonQuery();
                    session.Appends.Keep();
                }
                else
                {
                    session.Command("ROLLBACK TO write; RELEASE write").ExecuteNonQuery();
                    session.Appends.Drop();
                }
            }
            committed = await session.Appends.RunStepsAsync(session);
            await transaction.CommitAsync(CancellationToken.None);
            countersWritten();
        }
        catch (Exception e)
        {
            failed = e; // nothing of the group was committed
        }
        finally
        {
            session.Transaction = null;
            session.Appends.Clear();
        }
        // Before the writers hear of their commit: read-your-writes checks what the steps report here.
        if (failed is null) foreach (var then in committed) then();
        foreach (var write in group) write.Complete(failed);
    }

    private interface IQueuedWrite
    {
        bool Done { get; }

        /// <summary>Runs the work; false when it threw (its error is kept for its caller).</summary>
        Task<bool> RunAsync(SqliteSession session);

        void Complete(Exception? commitFailure);
    }

    private sealed class QueuedWrite<T>(Func<SqliteSession, Task<T>> work) : IQueuedWrite
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;
        private Exception? _error;

        public Task<T> Result => _result.Task;
        public bool Done => _result.Task.IsCompleted;

        public async Task<bool> RunAsync(SqliteSession session)
        {
            try
            {
                _value = await work(session);
                return true;
            }
            catch (Exception e)
            {
                _error = e;
                return false;
            }
        }

        public void Complete(Exception? commitFailure)
        {
            if ((_error ?? commitFailure) is { } error) _result.TrySetException(error);
            else _result.TrySetResult(_value!);
        }
    }

    /// <summary>
    /// The durability setting is per connection, so it is set once on the one connection that writes. So is where the
    /// group commit's savepoints keep the pages they would restore: past 64 KiB SQLite spills them to a temp file, which
    /// cost a file created and deleted and two writes a page on every commit, half the writes a create made. In memory
    /// they are bounded by what one group changes.
    /// </summary>
    private SqliteConnection OpenWriter()
    {
        var connection = Open();
        Execute(connection, $"PRAGMA synchronous = {_synchronous};");
        Execute(connection, "PRAGMA temp_store = MEMORY;");
        if (_backgroundCheckpoints) Execute(connection, $"PRAGMA wal_autocheckpoint = {SafetyNetCheckpointPages};");
        AddTextSearch(connection);
        return connection;
    }

    /// <summary>
    /// Copies what the WAL holds into the database file (a PASSIVE checkpoint, on a connection of its own): writers go on
    /// appending to the WAL meanwhile and readers are not disturbed; frames a reader still needs are left for the next
    /// time. Under steady load that is not enough: SQLite starts the WAL over only once every frame is copied and no
    /// reader still uses it, and overlapping readers and writers keep that moment from ever coming, so the file grows
    /// without end (hundreds of MiB in minutes, every read slower). Past <see cref="SqliteOptions.MaxWalPages"/> this
    /// starts it over: holding the writers' turn (they queue as for any write), a RESTART checkpoint copies the rest and
    /// has the next write start the WAL from its beginning, unless a reader still uses old frames; it does not wait for
    /// one (SQLite reports it busy, and Microsoft.Data.Sqlite sets no busy handler), so a long reader (a snapshot of a
    /// large project) never stalls the writers, and the next checkpoint tries again. RESTART, not TRUNCATE, while writes
    /// go on: the file is reused as it is, while truncating a WAL of this size took 40-55 ms of the writers' turn against
    /// 10-22 ms, and writing into the file's existing blocks is cheaper than growing it again. Once writes pause (the
    /// WAL unchanged and all copied since the previous checkpoint) a TRUNCATE gives the file's space back. Returns the
    /// WAL's size in pages and how many of them are now in the database file.
    /// <para>
    /// Before the RESTART, the files are flushed to disk outside the writers' turn (<see cref="SqliteFileSync"/>). A
    /// PASSIVE checkpoint flushes the database file only when no write came while it copied, which under load is never,
    /// so the RESTART's own flush of it used to write out everything copied since the previous one, inside the writers'
    /// turn: 45-58 ms of it on a 1.2 GB file under random updates, every write queued behind it, once a second. Flushed
    /// ahead, and what the writers added meanwhile copied and flushed twice more (each round has less to do), the
    /// RESTART holds them 2-5 ms (docs/performance.md, section 9).
    /// </para>
    /// </summary>
    public async Task<(int WalPages, int Checkpointed)> CheckpointAsync(CancellationToken ct)
    {
        var passive = await CheckpointAsync("PASSIVE", ct);
        var paused = passive.WalPages > 0 && passive.Checkpointed == passive.WalPages && passive.WalPages == _walPagesBefore;
        _walPagesBefore = passive.WalPages;
        if (passive.WalPages < _maxWalPages && !paused) return passive;
        if (!paused)
        {
            SqliteFileSync.Sync(_checkpointer!);
            for (var round = 0; round < 2; round++)
            {
                await CheckpointAsync("PASSIVE", ct);
                SqliteFileSync.Sync(_checkpointer!);
            }
        }
        await _writer.WaitAsync(ct);
        try
        {
            return await CheckpointAsync(paused ? "TRUNCATE" : "RESTART", ct);
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<(int WalPages, int Checkpointed)> CheckpointAsync(string mode, CancellationToken ct)
    {
        _checkpointer ??= Open();
        await using var command = _checkpointer.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt32(1), reader.GetInt32(2));
    }

    public void Dispose()
    {
        _checkpointer?.Dispose();
        _writeSession?.Close();
        while (_readers.TryPop(out var session)) session.Close();
        _writer.Dispose();
    }

    private static bool Exists(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $name)";
        command.Parameters.AddWithValue("$name", table);
        return (long)command.ExecuteScalar()! == 1;
    }

    private static bool HasColumn(SqliteConnection connection, string table, string column)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT EXISTS (SELECT 1 FROM pragma_table_info('{table}') WHERE name = $column)";
        command.Parameters.AddWithValue("$column", column);
        return (long)command.ExecuteScalar()! == 1;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The view table's definition, shared by the schema and the rebuild's new table. After the document itself, copies of
    /// the fields lists sort and filter on (null where the document has none), written by <see cref="SqliteViewStore"/>
    /// from the document in the same statement: the list indexes and the count triggers use these plain columns, so a
    /// change that leaves them as they were (a rename, a new description) rewrites no index entry and fires no trigger.
    /// Measured against indexes on json_extract(data, ...), which SQLite rewrites on every change of data: a title
    /// update 10-12 against 33-41 us, a new task 15-19 against 19-25 us (docs/performance.md).
    /// </summary>
    internal static string ViewTable(string name) => $"""
        CREATE TABLE IF NOT EXISTS {name} (
            partition TEXT    NOT NULL,
            id        TEXT    NOT NULL,
            kind      TEXT    NOT NULL,
            version   INTEGER NOT NULL,
            data      TEXT    NOT NULL,
            number    INTEGER,
            task_id   TEXT,
            status    TEXT,
            rank      TEXT,
            archived  INTEGER,
            PRIMARY KEY (partition, id)
        ) WITHOUT ROWID;
        """;

    /// <summary>The board snapshots a file kept in its own tables before they had a file of their own: dropped (derived data).</summary>
    private const string DropSnapshotTables = """
        BEGIN IMMEDIATE;
        DROP TABLE IF EXISTS board_snapshot_tasks;
        DROP TABLE IF EXISTS board_snapshot_rows;
        DROP TABLE board_snapshots;
        COMMIT;
        """;

    /// <summary>The list columns added to a view from before them, and filled from its documents (the triggers that
    /// read the JSON go first, so the fill counts nothing twice; <see cref="ViewIndexes"/> makes the new ones).</summary>
    private const string AddListColumns = """
        DROP TRIGGER IF EXISTS view_task_counts_insert;
        DROP TRIGGER IF EXISTS view_task_counts_update;
        DROP TRIGGER IF EXISTS view_task_counts_delete;
        ALTER TABLE view ADD COLUMN number INTEGER;
        ALTER TABLE view ADD COLUMN task_id TEXT;
        ALTER TABLE view ADD COLUMN status TEXT;
        ALTER TABLE view ADD COLUMN rank TEXT;
        ALTER TABLE view ADD COLUMN archived INTEGER;
        UPDATE view SET number = json_extract(data, '$.number'), task_id = json_extract(data, '$.taskId'),
            status = json_extract(data, '$.status'), rank = json_extract(data, '$.rank'), archived = json_extract(data, '$.archived');
        """;

    /// <summary>
    /// The view's list indexes and the triggers that keep the task counts; a rebuild creates them again on the table it
    /// swaps in (and recounts). ix_view_by_column serves a board's columns (archived, status, then rank: a column's page,
    /// a task's neighbours); ix_view_children a task's comments and followups, and only theirs. The drops remove the
    /// earlier layout's indexes and triggers, which read the JSON.
    /// </summary>
    internal const string ViewIndexes = """
        DROP INDEX IF EXISTS ix_view_rank;
        DROP INDEX IF EXISTS ix_view_number;
        DROP INDEX IF EXISTS ix_view_column;
        DROP INDEX IF EXISTS ix_view_comments;
        DROP TRIGGER IF EXISTS view_task_counts_insert;
        DROP TRIGGER IF EXISTS view_task_counts_update;
        DROP TRIGGER IF EXISTS view_task_counts_delete;
        CREATE TRIGGER IF NOT EXISTS view_counts_insert AFTER INSERT ON view
        WHEN new.kind = 'task' AND new.archived = 0
        BEGIN
            INSERT INTO view_task_counts (partition, status, tasks) VALUES (new.partition, new.status, 1)
            ON CONFLICT (partition, status) DO UPDATE SET tasks = tasks + 1;
        END;
        CREATE TRIGGER IF NOT EXISTS view_counts_update AFTER UPDATE OF kind, status, archived ON view
        WHEN (old.kind = 'task' OR new.kind = 'task')
            AND (old.kind IS NOT new.kind OR old.status IS NOT new.status OR old.archived IS NOT new.archived)
        BEGIN
            UPDATE view_task_counts SET tasks = tasks - 1
            WHERE old.kind = 'task' AND old.archived = 0 AND partition = old.partition AND status = old.status;
            INSERT INTO view_task_counts (partition, status, tasks)
            SELECT new.partition, new.status, 1 WHERE new.kind = 'task' AND new.archived = 0
            ON CONFLICT (partition, status) DO UPDATE SET tasks = tasks + 1;
        END;
        CREATE TRIGGER IF NOT EXISTS view_counts_delete AFTER DELETE ON view
        WHEN old.kind = 'task' AND old.archived = 0
        BEGIN
            UPDATE view_task_counts SET tasks = tasks - 1 WHERE partition = old.partition AND status = old.status;
        END;
        CREATE INDEX IF NOT EXISTS ix_view_by_number ON view (partition, kind, number);
        CREATE INDEX IF NOT EXISTS ix_view_by_column ON view (partition, kind, archived, status, rank) WHERE kind = 'task';
        CREATE INDEX IF NOT EXISTS ix_view_children ON view (partition, kind, task_id, number) WHERE kind = 'comment' OR kind = 'followup';
        """ + PlannerStatistics;

    /// <summary>
    /// The query planner's statistics, written rather than gathered (SQLite's documented way to keep plans stable): a
    /// project's partition of the view may be large, a board column a fraction of it, an id one row. Without statistics
    /// the planner guesses a partition holds a few rows and scanned a large project's every row for the last task of a
    /// column (63 ms at 93,000 rows, 0.3 ms by the index). Gathering them instead (<c>PRAGMA optimize</c> once a minute)
    /// ran ANALYZE in the writers' turn whenever a table had grown tenfold: 689 ms on a 590 MB file, every writer held
    /// for it; and ANALYZE's bounded sample sees only the first project of an index, so it misleads the planner the same
    /// way. Part of <see cref="ViewIndexes"/>, so a rebuild's swap, whose DROP TABLE takes the view's rows of
    /// sqlite_stat1 with it, writes them again. Other tables keep SQLite's defaults, which serve their queries.
    /// <c>ANALYZE sqlite_schema</c> creates the table if needed, then has this connection read the new rows; later
    /// connections read them when they open.
    /// </summary>
    private const string PlannerStatistics = """
        ANALYZE sqlite_schema;
        DELETE FROM sqlite_stat1;
        INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
            ('view', 'view', '1000000 10000 1'),
            ('view', 'ix_view_by_number', '1000000 10000 5000 1'),
            ('view', 'ix_view_by_column', '1000000 10000 10000 5000 1000 1'),
            ('view', 'ix_view_children', '1000000 10000 5000 5 1');
        ANALYZE sqlite_schema;
        """;

    /// <summary>The counts of active tasks from the view itself: on an older file, and after a rebuild swapped its table in.</summary>
    internal const string RecountTasks = """
        DELETE FROM view_task_counts;
        INSERT INTO view_task_counts (partition, status, tasks)
        SELECT partition, status, COUNT(*) FROM view
        WHERE kind = 'task' AND archived = 0
        GROUP BY 1, 2;
        """;

    // The design's two tables, plus the projector's checkpoint, the number counters, idempotency keys, the changes journal
    // and stream snapshots.
    // Triggers make the event log append-only in the store itself, not by convention.
    private const string Schema = """
        PRAGMA journal_mode = WAL;

        CREATE TABLE IF NOT EXISTS event_log (
            position       INTEGER PRIMARY KEY,
            stream_id      TEXT    NOT NULL,
            version        INTEGER NOT NULL,
            type           TEXT    NOT NULL,
            schema_version INTEGER NOT NULL,
            data           TEXT    NOT NULL,
            metadata       TEXT    NOT NULL,
            recorded_at    TEXT    NOT NULL,
            project_key    TEXT    NOT NULL,
            UNIQUE (stream_id, version)
        );
        CREATE INDEX IF NOT EXISTS ix_event_log_project ON event_log (project_key, position);
        CREATE TRIGGER IF NOT EXISTS event_log_no_update BEFORE UPDATE ON event_log
        BEGIN SELECT RAISE(ABORT, 'event_log is append-only: events are never updated'); END;
        CREATE TRIGGER IF NOT EXISTS event_log_no_delete BEFORE DELETE ON event_log
        BEGIN SELECT RAISE(ABORT, 'event_log is append-only: events are never deleted'); END;

        CREATE TABLE IF NOT EXISTS checkpoints (
            consumer TEXT PRIMARY KEY,
            position INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- The earliest board snapshots' table (one row with every task): derived data, dropped. Board snapshots now live
        -- in a file of their own (SqliteSnapshotStore).
        DROP TABLE IF EXISTS snapshots;

        -- Each project's active tasks by status, kept by triggers on the view (ViewIndexes), so a board's column counts
        -- are a few rows, not a read of every task of the project. Derived from the view like the view from the log.
        CREATE TABLE IF NOT EXISTS view_task_counts (
            partition TEXT    NOT NULL,
            status    TEXT    NOT NULL,
            tasks     INTEGER NOT NULL,
            PRIMARY KEY (partition, status)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS idempotency (
            key          TEXT PRIMARY KEY,
            request_hash TEXT NOT NULL,
            claimed_at   TEXT NOT NULL,
            status       INTEGER,
            content_type TEXT,
            body         BLOB,
            location     TEXT,
            etag         TEXT
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS counters (
            project_key TEXT    NOT NULL,
            name        TEXT    NOT NULL,
            value       INTEGER NOT NULL,
            PRIMARY KEY (project_key, name)
        ) WITHOUT ROWID;

        -- The changes journal (SqliteChangeJournal): what each projected batch changed, per project, for the changes feed.
        CREATE TABLE IF NOT EXISTS changes (
            project_key TEXT    NOT NULL,
            seq         INTEGER NOT NULL,
            at          TEXT    NOT NULL,
            changes     TEXT    NOT NULL,
            PRIMARY KEY (project_key, seq)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_changes_at ON changes (at);

        -- The view's generation: a rebuild's swap starts a new one, so changes cursors from before are refused.
        CREATE TABLE IF NOT EXISTS view_epoch (
            one   INTEGER PRIMARY KEY CHECK (one = 1),
            epoch TEXT    NOT NULL
        );
        INSERT OR IGNORE INTO view_epoch (one, epoch) VALUES (1, lower(hex(randomblob(8))));

        -- Long streams' folded states (SqliteStreamSnapshotStore): derived from the log, a load's shortcut.
        CREATE TABLE IF NOT EXISTS stream_snapshots (
            stream_id TEXT    PRIMARY KEY,
            version   INTEGER NOT NULL,
            schema    TEXT    NOT NULL,
            state     TEXT    NOT NULL
        ); -- a rowid table: its rows are a few kilobytes, too large to sit in a key's b-tree pages

        CREATE TABLE IF NOT EXISTS dead_letter (
            stream_id TEXT    NOT NULL,
            version   INTEGER NOT NULL,
            event     TEXT    NOT NULL,
            error     TEXT    NOT NULL,
            parked_at TEXT    NOT NULL,
            attempts  INTEGER NOT NULL,
            PRIMARY KEY (stream_id, version)
        ) WITHOUT ROWID;
        """;
}
