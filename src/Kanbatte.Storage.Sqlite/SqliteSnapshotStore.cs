using System.Globalization;
using Kanbatte.Application;

namespace Kanbatte.Storage.Sqlite;

/// <summary>
/// Board snapshots: every <see cref="Every"/> events of a project, a copy of its task documents as the view holds them
/// right after a projected batch, so a board as of any time folds at most about that many events after a snapshot.
/// Snapshots are derived data, like the view: they can be dropped and are taken again as events come.
/// </summary>
public sealed class SqliteSnapshotStore(SqliteDatabase db, int every = SqliteSnapshotStore.DefaultEvery) : ISnapshotStore
{
    public const int DefaultEvery = 1000;

    public int Every { get; } = every;

    public async Task<BoardSnapshot?> LatestAsync(string projectKey, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT position, at, tasks FROM snapshots WHERE project_key = $k AND at <= $at ORDER BY at DESC, position DESC LIMIT 1";
        command.Parameters.AddWithValue("$k", projectKey);
        command.Parameters.AddWithValue("$at", KanbatteJson.Format(at));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var tasks = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement[]>(reader.GetString(2))!;
        return new BoardSnapshot(projectKey, reader.GetInt64(0).ToString(CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            tasks.Select(t => t.GetRawText()).ToList());
    }

    public async Task CaptureAsync(IReadOnlyList<EventEnvelope> projected, CancellationToken ct = default)
    {
        if (projected.Count == 0) return;
        var position = projected[^1].Position;

        // Which projects are due is read outside the writer's lock: most batches take no snapshot and need not queue writers.
        var due = new List<(string Project, string At)>();
        await using (var connection = db.Open())
        {
            foreach (var project in projected.Select(e => e.ProjectKey).Distinct(StringComparer.Ordinal))
            {
                // Events of this project since its last snapshot, up to this batch's end: counted on the (project, position) index.
                // While one of the project's events is parked the view lacks it, so no snapshot is taken until it is re-driven.
                await using var count = connection.CreateCommand();
                count.CommandText = """
                    SELECT COUNT(*), MAX(recorded_at) FROM event_log
                    WHERE project_key = $k AND position <= $p
                      AND position > COALESCE((SELECT MAX(position) FROM snapshots WHERE project_key = $k), 0)
                      AND NOT EXISTS (SELECT 1 FROM dead_letter WHERE stream_id = 'project:' || $k OR stream_id LIKE 'task:' || $k || '-%')
                    """;
                count.Parameters.AddWithValue("$k", project);
                count.Parameters.AddWithValue("$p", position);
                await using var reader = await count.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct) && reader.GetInt64(0) >= Every) due.Add((project, reader.GetString(1)));
            }
        }
        if (due.Count == 0) return;

        // The feed projection is the view's only writer and calls this between batches, so the view holds exactly the log up to this batch.
        await db.WriteAsync(async (connection, transaction) =>
        {
            foreach (var (project, at) in due)
            {
                await using var take = connection.CreateCommand();
                take.Transaction = transaction;
                take.CommandText = """
                    INSERT OR IGNORE INTO snapshots (project_key, position, at, tasks)
                    SELECT $k, $p, $at, json_group_array(json(data)) FROM view WHERE partition = $k AND kind = 'task'
                    """;
                take.Parameters.AddWithValue("$k", project);
                take.Parameters.AddWithValue("$p", position);
                take.Parameters.AddWithValue("$at", at);
                await take.ExecuteNonQueryAsync(ct);
            }
            return true;
        }, ct);
    }
}
