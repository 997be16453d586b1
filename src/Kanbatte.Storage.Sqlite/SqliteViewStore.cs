using System.Text;
using Kanbatte.Application;
using Microsoft.Data.Sqlite;

namespace Kanbatte.Storage.Sqlite;

/// <summary>
/// The view in the <c>view</c> table: one row per entity, its state as JSON, with copies of the fields lists use as
/// plain columns (see <see cref="SqliteDatabase.ViewTable"/>).
/// A rebuild writes the same shape into another table (<see cref="SqliteViewRebuild"/>).
/// </summary>
public sealed class SqliteViewStore : IViewStore
{
    public const string DefaultTable = "view";
    private readonly ISqliteSessions _db;
    private readonly string _view;

    public SqliteViewStore(SqliteDatabase db) : this(db, DefaultTable) { }

    public SqliteViewStore(SqliteDatabase db, string table) : this((ISqliteSessions)db, table) { }

    internal SqliteViewStore(ISqliteSessions db, string table)
    {
        // The name goes into SQL text, so only plain identifiers are accepted.
        if (table.Length == 0 || !table.All(c => c is (>= 'a' and <= 'z') or '_')) throw new ArgumentException($"Not a view table name: '{table}'.", nameof(table));
        _db = db;
        _view = table;
    }

    public async Task<ViewDocument?> GetAsync(string partition, string id, CancellationToken ct = default)
    {
        await using var session = _db.Read();
        var command = session.Command($"SELECT partition, id, kind, version, data FROM {_view} WHERE partition = $p AND id = $id");
        command.Parameters.AddWithValue("$p", partition);
        command.Parameters.AddWithValue("$id", id);
        var found = await ReadAsync(command, ct);
        return found.Count == 0 ? null : found[0];
    }

    public Task WriteAsync(IReadOnlyList<ViewChange> changes, CancellationToken ct = default) =>
        _db.WriteAsync(async session =>
        {
            // Never moves a document back to an older version: a projector that read a document before a rebuild swapped
            // the table, or a re-drive of a parked event (or a second server on the same file), must not overwrite or
            // delete newer state with the older state it folded.
            // First the common change, one that leaves the list columns as they were: it sets no indexed column, so SQLite
            // rewrites no index entry and fires no trigger. Anything else (a new document, a move, an archive) is the upsert.
            var same = WithDocumentParameters(session.Command($"""
                UPDATE {_view} SET version = $version, data = $data
                WHERE partition = $p AND id = $id AND kind = $kind AND version <= $version
                  AND number IS {NumberOf} AND task_id IS {TaskIdOf} AND status IS {StatusOf} AND rank IS {RankOf} AND archived IS {ArchivedOf}
                """));
            var upsert = WithDocumentParameters(session.Command($"""
                INSERT INTO {_view} (partition, id, kind, version, data, number, task_id, status, rank, archived)
                VALUES ($p, $id, $kind, $version, $data, {NumberOf}, {TaskIdOf}, {StatusOf}, {RankOf}, {ArchivedOf})
                ON CONFLICT (partition, id) DO UPDATE SET kind = excluded.kind, version = excluded.version, data = excluded.data,
                    number = excluded.number, task_id = excluded.task_id, status = excluded.status, rank = excluded.rank, archived = excluded.archived
                WHERE excluded.version >= {_view}.version
                """));
            var delete = session.Command($"DELETE FROM {_view} WHERE partition = $p AND id = $id AND version <= $version");
            var dp = delete.Parameters.Add("$p", SqliteType.Text);
            var did = delete.Parameters.Add("$id", SqliteType.Text);
            var dversion = delete.Parameters.Add("$version", SqliteType.Integer);

            foreach (var change in changes)
            {
                if (change.Document is { } doc)
                {
                    // A first version is a new document (or its redelivery): the UPDATE could only miss, after reading $data.
                    if (doc.Version == 1 || await ExecuteAsync(same, doc, ct) == 0) await ExecuteAsync(upsert, doc, ct);
                }
                else
                {
                    (dp.Value, did.Value, dversion.Value) = (change.Partition, change.Id, change.Version);
                    await delete.ExecuteNonQueryAsync(ct);
                }
            }
            return true;
        }, ct);

    // The list columns, read from the document being written ($data); SQLite parses it once per statement.
    private const string NumberOf = "json_extract($data, '$.number')";
    private const string TaskIdOf = "json_extract($data, '$.taskId')";
    private const string StatusOf = "json_extract($data, '$.status')";
    private const string RankOf = "json_extract($data, '$.rank')";
    private const string ArchivedOf = "json_extract($data, '$.archived')";

    private static SqliteCommand WithDocumentParameters(SqliteCommand command)
    {
        command.Parameters.Add("$p", SqliteType.Text);
        command.Parameters.Add("$id", SqliteType.Text);
        command.Parameters.Add("$kind", SqliteType.Text);
        command.Parameters.Add("$version", SqliteType.Integer);
        command.Parameters.Add("$data", SqliteType.Text);
        return command;
    }

    private static Task<int> ExecuteAsync(SqliteCommand command, ViewDocument doc, CancellationToken ct)
    {
        var parameters = command.Parameters;
        (parameters[0].Value, parameters[1].Value, parameters[2].Value, parameters[3].Value, parameters[4].Value) = (doc.Partition, doc.Id, doc.Kind, doc.Version, doc.Json);
        return command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<ViewDocument>> ListProjectsAsync(string? afterKey, int limit, CancellationToken ct = default)
    {
        await using var session = _db.Read();
        var command = session.Command($"SELECT partition, id, kind, version, data FROM {_view} WHERE partition = $p AND id > $after ORDER BY id LIMIT $limit");
        var (partition, after) = ViewKeys.Project(afterKey ?? "");
        command.Parameters.AddWithValue("$p", partition);
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadAsync(command, ct);
    }

    public async Task<IReadOnlyList<ViewDocument>> ListByIdAsync(string partition, IReadOnlyList<string> kinds, string? afterId, int limit, CancellationToken ct = default)
    {
        var parameters = new List<(string Name, object Value)> { ("$p", partition), ("$after", afterId ?? ""), ("$limit", limit) };
        var sql = new StringBuilder($"SELECT partition, id, kind, version, data FROM {_view} WHERE partition = $p");
        In(sql, parameters, "kind", "$k", kinds);
        sql.Append(" AND id > $after ORDER BY id LIMIT $limit");
        await using var session = _db.Read();
        var command = session.Command(sql.ToString());
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await ReadAsync(command, ct);
    }

    /// <summary>Nothing to do: a read sees every transaction committed before it began.</summary>
    public Task FenceProjectAsync(string projectKey, CancellationToken ct = default) => Task.CompletedTask;

    public async Task<IReadOnlyList<ViewDocument>> ListTasksAsync(TaskListQuery query, CancellationToken ct = default)
    {
        var parameters = new List<(string Name, object Value)> { ("$p", query.ProjectKey), ("$archived", query.Archived ? 1 : 0) };
        var sql = new StringBuilder($"""
            SELECT partition, id, kind, version, data FROM {_view}
            WHERE partition = $p AND kind = 'task' AND archived = $archived
            """);
        In(sql, parameters, "status", "$s", query.Statuses);
        In(sql, parameters, "json_extract(data, '$.priority')", "$pr", query.Priorities);
        if (query.Assignee is not null)
        {
            sql.Append(" AND json_extract(data, '$.assignee') = $assignee");
            parameters.Add(("$assignee", query.Assignee));
        }
        if (query.Label is not null)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM json_each(data, '$.labels') WHERE value = $label)");
            parameters.Add(("$label", query.Label));
        }
        if (query.Text is not null)
        {
            sql.Append(" AND kb_contains(json_extract(data, '$.title'), $text)"); // every session's connection has kb_contains
            parameters.Add(("$text", query.Text));
        }

        const string number = "number";
        var key = SortKey(query.Sort);
        var (cmp, dir) = query.Descending ? ("<", "DESC") : (">", "ASC");
        if (query.HasCursor)
        {
            sql.Append(key is null
                ? $" AND {number} {cmp} $afterNumber"
                : $" AND ({key} {cmp} $afterValue OR ({key} = $afterValue AND {number} {cmp} $afterNumber))");
            parameters.Add(("$afterNumber", query.AfterNumber));
            parameters.Add(("$afterValue", (object?)query.AfterValue ?? DBNull.Value));
        }
        sql.Append(key is null ? $" ORDER BY {number} {dir}" : $" ORDER BY {key} {dir}, {number} {dir}").Append(" LIMIT $limit");
        parameters.Add(("$limit", query.Limit));

        await using var session = _db.Read();
        var command = session.Command(sql.ToString());
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await ReadAsync(command, ct);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountTasksByStatusAsync(string projectKey, CancellationToken ct = default)
    {
        await using var session = _db.Read();
        // Kept by the view's triggers (SqliteDatabase.ViewIndexes): a few rows however large the project.
        var command = session.Command("SELECT status, tasks FROM view_task_counts WHERE partition = $p AND tasks > 0");
        command.Parameters.AddWithValue("$p", projectKey);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) counts[reader.GetString(0)] = reader.GetInt32(1);
        return counts;
    }

    /// <summary>The SQL of each sort key, matching <see cref="TaskListQuery.SortKeyOf"/>; null for the number itself.</summary>
    private static string? SortKey(TaskSort sort) => sort switch
    {
        TaskSort.Rank => "rank",
        TaskSort.Priority => "CASE json_extract(data, '$.priority') WHEN 'none' THEN '0' WHEN 'low' THEN '1' WHEN 'medium' THEN '2' WHEN 'high' THEN '3' ELSE '4' END",
        TaskSort.UpdatedAt => "json_extract(data, '$.updatedAt')",
        TaskSort.DueDate => $"COALESCE(json_extract(data, '$.dueDate'), '{TaskListQuery.NoDueDate}')",
        _ => null,
    };

    private static void In(StringBuilder sql, List<(string Name, object Value)> parameters, string expression, string prefix, IReadOnlyList<string> values)
    {
        if (values.Count == 0) return;
        sql.Append(" AND ").Append(expression).Append(" IN (");
        for (var i = 0; i < values.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(prefix).Append(i);
            parameters.Add((prefix + i, values[i]));
        }
        sql.Append(')');
    }

    public async Task<IReadOnlyList<ViewDocument>> ListCommentsAsync(string projectKey, string taskId, int afterNumber, int limit, CancellationToken ct = default)
    {
        await using var session = _db.Read();
        var command = session.Command($"""
            SELECT partition, id, kind, version, data FROM {_view}
            WHERE partition = $p AND kind = 'comment' AND task_id = $task AND number > $after
            ORDER BY number LIMIT $limit
            """);
        command.Parameters.AddWithValue("$p", projectKey);
        command.Parameters.AddWithValue("$task", taskId);
        command.Parameters.AddWithValue("$after", afterNumber);
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadAsync(command, ct);
    }

    public async Task<IReadOnlyList<ViewDocument>> ListFollowupsAsync(string projectKey, string? taskId, IReadOnlyList<string> statuses, int afterNumber, int limit, CancellationToken ct = default)
    {
        var parameters = new List<(string Name, object Value)> { ("$p", projectKey), ("$after", afterNumber), ("$limit", limit) };
        var sql = new StringBuilder($"SELECT partition, id, kind, version, data FROM {_view} WHERE partition = $p AND kind = 'followup'");
        if (taskId is not null)
        {
            sql.Append(" AND task_id = $task");
            parameters.Add(("$task", taskId));
        }
        In(sql, parameters, "status", "$s", statuses);
        sql.Append(" AND number > $after ORDER BY number LIMIT $limit");
        await using var session = _db.Read();
        var command = session.Command(sql.ToString());
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await ReadAsync(command, ct);
    }

    private static async Task<IReadOnlyList<ViewDocument>> ReadAsync(SqliteCommand command, CancellationToken ct)
    {
        var docs = new List<ViewDocument>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            docs.Add(new ViewDocument(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4)));
        return docs;
    }
}
