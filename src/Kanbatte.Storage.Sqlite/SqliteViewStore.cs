using System.Text;
using Kanbatte.Application;
using Microsoft.Data.Sqlite;

namespace Kanbatte.Storage.Sqlite;

/// <summary>
/// The view in the <c>view</c> table: one row per entity, its state as JSON; lists use expression indexes.
/// A rebuild writes the same shape into another table (<see cref="SqliteViewRebuild"/>).
/// </summary>
public sealed class SqliteViewStore : IViewStore
{
    public const string DefaultTable = "view";
    private readonly SqliteDatabase _db;
    private readonly string _view;

    public SqliteViewStore(SqliteDatabase db) : this(db, DefaultTable) { }

    public SqliteViewStore(SqliteDatabase db, string table)
    {
        // The name goes into SQL text, so only plain identifiers are accepted.
        if (table.Length == 0 || !table.All(c => c is (>= 'a' and <= 'z') or '_')) throw new ArgumentException($"Not a view table name: '{table}'.", nameof(table));
        _db = db;
        _view = table;
    }

    public async Task<ViewDocument?> GetAsync(string partition, string id, CancellationToken ct = default)
    {
        await using var connection = _db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT partition, id, kind, version, data FROM {_view} WHERE partition = $p AND id = $id";
        command.Parameters.AddWithValue("$p", partition);
        command.Parameters.AddWithValue("$id", id);
        var found = await ReadAsync(command, ct);
        return found.Count == 0 ? null : found[0];
    }

    public Task WriteAsync(IReadOnlyList<ViewChange> changes, CancellationToken ct = default) =>
        _db.WriteAsync(async (connection, transaction) =>
        {
            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            // Never moves a document back to an older version: a projector that read a document before a rebuild swapped
            // the table (or a second server on the same file) must not overwrite newer state with the older state it folded.
            upsert.CommandText = $"""
                INSERT INTO {_view} (partition, id, kind, version, data) VALUES ($p, $id, $kind, $version, $data)
                ON CONFLICT (partition, id) DO UPDATE SET kind = excluded.kind, version = excluded.version, data = excluded.data
                WHERE excluded.version >= {_view}.version
                """;
            var p = upsert.Parameters.Add("$p", SqliteType.Text);
            var id = upsert.Parameters.Add("$id", SqliteType.Text);
            var kind = upsert.Parameters.Add("$kind", SqliteType.Text);
            var version = upsert.Parameters.Add("$version", SqliteType.Integer);
            var data = upsert.Parameters.Add("$data", SqliteType.Text);

            await using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = $"DELETE FROM {_view} WHERE partition = $p AND id = $id";
            var dp = delete.Parameters.Add("$p", SqliteType.Text);
            var did = delete.Parameters.Add("$id", SqliteType.Text);

            foreach (var change in changes)
            {
                if (change.Document is { } doc)
                {
                    (p.Value, id.Value, kind.Value, version.Value, data.Value) = (doc.Partition, doc.Id, doc.Kind, doc.Version, doc.Json);
                    await upsert.ExecuteNonQueryAsync(ct);
                }
                else
                {
                    (dp.Value, did.Value) = (change.Partition, change.Id);
                    await delete.ExecuteNonQueryAsync(ct);
                }
            }
            return true;
        }, ct);

    public async Task<IReadOnlyList<ViewDocument>> ListProjectsAsync(string? afterKey, int limit, CancellationToken ct = default)
    {
        await using var connection = _db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT partition, id, kind, version, data FROM {_view} WHERE partition = $p AND id > $after ORDER BY id LIMIT $limit";
        var (partition, after) = ViewKeys.Project(afterKey ?? "");
        command.Parameters.AddWithValue("$p", partition);
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadAsync(command, ct);
    }

    public async Task<IReadOnlyList<ViewDocument>> ListTasksAsync(TaskListQuery query, CancellationToken ct = default)
    {
        await using var connection = _db.Open();
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder($"""
            SELECT partition, id, kind, version, data FROM {_view}
            WHERE partition = $p AND kind = 'task' AND json_extract(data, '$.number') > $after
            """);
        if (query.Statuses.Count > 0)
        {
            sql.Append(" AND json_extract(data, '$.status') IN (");
            for (var i = 0; i < query.Statuses.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append("$s").Append(i);
                command.Parameters.AddWithValue("$s" + i, query.Statuses[i]);
            }
            sql.Append(')');
        }
        sql.Append(" ORDER BY json_extract(data, '$.number') LIMIT $limit");
        command.CommandText = sql.ToString();
        command.Parameters.AddWithValue("$p", query.ProjectKey);
        command.Parameters.AddWithValue("$after", query.AfterNumber);
        command.Parameters.AddWithValue("$limit", query.Limit);
        return await ReadAsync(command, ct);
    }

    public async Task<IReadOnlyList<ViewDocument>> ListCommentsAsync(string projectKey, string taskId, int afterNumber, int limit, CancellationToken ct = default)
    {
        await using var connection = _db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT partition, id, kind, version, data FROM {_view}
            WHERE partition = $p AND kind = 'comment' AND json_extract(data, '$.taskId') = $task AND json_extract(data, '$.number') > $after
            ORDER BY json_extract(data, '$.number') LIMIT $limit
            """;
        command.Parameters.AddWithValue("$p", projectKey);
        command.Parameters.AddWithValue("$task", taskId);
        command.Parameters.AddWithValue("$after", afterNumber);
        command.Parameters.AddWithValue("$limit", limit);
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
