using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Kanbatte.Storage.Sqlite;

public sealed class SqliteOptions
{
    /// <summary>The database file; its folder is created when missing.</summary>
    public string Path { get; set; } = System.IO.Path.Combine(".kanbatte", "kanbatte.db");

    /// <summary>
    /// NORMAL (the default) keeps every acknowledged write through a process crash or kill; FULL also through an OS crash
    /// or power loss, at the price of an fsync per write.
    /// </summary>
    public string Synchronous { get; set; } = "NORMAL";
}

/// <summary>
/// The embedded store's file: schema, connections and the single writer. SQLite allows one writer at a time, so writes
/// queue on an in-process lock, on one connection kept open for them, instead of spinning on SQLITE_BUSY; readers use
/// connections of their own and never wait (WAL). Every connection keeps its prepared statements (<see cref="SqliteSession"/>).
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly string _synchronous;
    private const int MaxIdleReaders = 64;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly ConcurrentBag<SqliteSession> _readers = [];
    private SqliteSession? _writeSession;

    public SqliteDatabase(SqliteOptions options)
    {
        _synchronous = options.Synchronous.ToUpperInvariant() switch
        {
            "OFF" or "NORMAL" or "FULL" or "EXTRA" => options.Synchronous.ToUpperInvariant(),
            var other => throw new ArgumentException($"Kanbatte:Sqlite:Synchronous must be NORMAL, FULL, EXTRA or OFF, not '{other}'."),
        };
        var full = System.IO.Path.GetFullPath(options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        Path = full;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        Execute(connection, Schema + ViewTable("view") + ViewIndexes);
    }

    public string Path { get; }

    /// <summary>A reading session from the store's pool (with its prepared statements); disposing it gives it back.</summary>
    public SqliteSession Read()
    {
        if (_readers.TryTake(out var session)) return session;
        var connection = Open();
        AddTextSearch(connection);
        return new SqliteSession(connection, Release);
    }

    private void Release(SqliteSession session)
    {
        if (_readers.Count < MaxIdleReaders) _readers.Add(session);
        else session.Close();
    }

    /// <summary>A plain pooled connection, for one-off work (Microsoft.Data.Sqlite retries a busy file up to its 30 s command timeout).</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Adds <c>kb_contains(text, part)</c> to a connection: SQLite's own lower()/LIKE fold ASCII only, task search folds like .NET.</summary>
    public static void AddTextSearch(SqliteConnection connection) =>
        connection.CreateFunction("kb_contains", (string? text, string? part) =>
            text is not null && part is not null && text.Contains(part, StringComparison.OrdinalIgnoreCase), isDeterministic: true);

    /// <summary>Runs <paramref name="work"/> in one write transaction, one writer at a time, on the writer's session.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteSession, Task<T>> work, CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        try
        {
            var session = _writeSession ??= new SqliteSession(OpenWriter(), release: null);
            await using var transaction = session.Connection.BeginTransaction(deferred: false);
            session.Transaction = transaction;
            try
            {
                var result = await work(session);
                await transaction.CommitAsync(CancellationToken.None);
                return result;
            }
            finally
            {
                session.Transaction = null;
            }
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>The durability setting is per connection, so it is set once on the one connection that writes.</summary>
    private SqliteConnection OpenWriter()
    {
        var connection = Open();
        Execute(connection, $"PRAGMA synchronous = {_synchronous};");
        AddTextSearch(connection);
        return connection;
    }

    public void Dispose()
    {
        _writeSession?.Close();
        while (_readers.TryTake(out var session)) session.Close();
        _writer.Dispose();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The view's list indexes; a rebuild creates them again on the table it swaps in.</summary>
    /// <summary>The view table's definition, shared by the schema and the rebuild's new table.</summary>
    internal static string ViewTable(string name) => $"""
        CREATE TABLE IF NOT EXISTS {name} (
            partition TEXT    NOT NULL,
            id        TEXT    NOT NULL,
            kind      TEXT    NOT NULL,
            version   INTEGER NOT NULL,
            data      TEXT    NOT NULL,
            PRIMARY KEY (partition, id)
        ) WITHOUT ROWID;
        """;

    internal const string ViewIndexes = """
        CREATE INDEX IF NOT EXISTS ix_view_number ON view (partition, kind, json_extract(data, '$.number'));
        CREATE INDEX IF NOT EXISTS ix_view_rank ON view (partition, kind, json_extract(data, '$.status'), json_extract(data, '$.rank'));
        CREATE INDEX IF NOT EXISTS ix_view_comments ON view (partition, kind, json_extract(data, '$.taskId'), json_extract(data, '$.number'));
        """;

    // The design's two tables, plus the projector's checkpoint, the number counters and idempotency keys.
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

        CREATE TABLE IF NOT EXISTS snapshots (
            project_key TEXT    NOT NULL,
            position    INTEGER NOT NULL,
            at          TEXT    NOT NULL,
            tasks       TEXT    NOT NULL,
            PRIMARY KEY (project_key, position)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_snapshots_at ON snapshots (project_key, at);

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
