using System.Globalization;
using Kanbatte.Application;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Storage.Sqlite;

/// <summary>
/// Board snapshots: a copy of a project's task documents as the view holds them right after a projected batch, taken
/// every <see cref="Every"/> events of the project, or every N events once the project has N tasks. So a board as of any
/// time folds at most about max(Every, N) events after a snapshot (no more than the board it returns), and a snapshot
/// costs at most one copied document per event, however large the project grows.
/// Snapshots are derived data, like the view: they can be dropped and are taken again as events come. They are taken
/// after the feed projection's batches, and as a step inside an append's transaction right after the inline projection.
/// </summary>
public sealed class SqliteSnapshotStore(SqliteDatabase db, int every = SqliteSnapshotStore.DefaultEvery, ILogger<SqliteSnapshotStore>? logger = null)
    : ISnapshotStore, IInTransactionStep
{
    public const int DefaultEvery = 1000;

    // Events of each project since its last snapshot, and the feed position they were counted through. Only the feed
    // projection calls CaptureAsync, one batch at a time; losing this on restart only means counting once more.
    // The threshold is the project's task count when last looked up, looked up again only once it is reached.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Events, long Through, long Threshold)> _since = new(StringComparer.Ordinal);

    public int Every { get; } = every;

    public async Task<BoardSnapshot?> LatestAsync(string projectKey, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var session = db.Read();
        var command = session.Command("SELECT position, at, tasks FROM snapshots WHERE project_key = $k AND at <= $at ORDER BY at DESC, position DESC LIMIT 1");
        command.Parameters.AddWithValue("$k", projectKey);
        command.Parameters.AddWithValue("$at", KanbatteJson.Format(at));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var tasks = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement[]>(reader.GetString(2))!;
        return new BoardSnapshot(projectKey, reader.GetInt64(0).ToString(CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            tasks.Select(t => t.GetRawText()).ToList());
    }

    public Task CaptureAsync(IReadOnlyList<EventEnvelope> projected, CancellationToken ct = default) => CaptureAsync(projected, db, ct);

    /// <summary>Inside an append's transaction: takes the snapshots due, if the view now holds the log up to this append.</summary>
    public async Task<Action?> RunAsync(IAppendTransaction transaction, IReadOnlyList<EventEnvelope> appended, CancellationToken ct)
    {
        // Only after the inline projection applied the append: a snapshot copies the view, which must hold exactly the log up to here.
        if (await transaction.Checkpoints.GetAsync(FeedProjection.Consumer, ct) != appended[^1].Position) return null;
        var sessions = ((SqliteAppendTransaction)transaction).Sessions; // a step of this store only
        try
        {
            await transaction.IsolatedAsync(() => CaptureAsync(appended, sessions, ct), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A snapshot is derived data: the append stands, and the project's next events make it due again.
            logger?.LogWarning(e, "Board snapshot after {StreamId}@{Version} failed", appended[0].StreamId, appended[0].Version);
        }
        return null;
    }

    /// <summary>Takes the snapshots due after <paramref name="projected"/>, on the given sessions (an append's transaction).</summary>
    private async Task CaptureAsync(IReadOnlyList<EventEnvelope> projected, ISqliteSessions sessions, CancellationToken ct)
    {
        if (projected.Count == 0) return;
        var position = projected[^1].Position;

        // Which projects are due is decided before any write (for the feed projection, outside the writer's lock): most
        // batches take no snapshot and need not queue writers.
        var due = new List<(string Project, string At)>();
        await using (var session = sessions.Read())
        {
            foreach (var batch in projected.GroupBy(e => e.ProjectKey, StringComparer.Ordinal))
            {
                var project = batch.Key;
                var since = _since.TryGetValue(project, out var tally)
                    ? tally.Events + batch.Count(e => e.Position > tally.Through) // a redelivered event is not counted twice
                    : await EventsSinceSnapshotAsync(session, project, position, ct);
                var threshold = since < Math.Max(Every, tally.Threshold) ? tally.Threshold : await TaskCountAsync(session, project, ct);
                _since[project] = (since, Math.Max(position, tally.Through), threshold);
                if (since < Math.Max(Every, threshold)) continue;

                // While one of the project's events is parked the view lacks it, so no snapshot is taken until it is re-driven.
                var check = session.Command("""
                    SELECT MAX(recorded_at) FROM event_log
                    WHERE project_key = $k AND position <= $p
                      AND position > COALESCE((SELECT MAX(position) FROM snapshots WHERE project_key = $k), 0)
                      AND NOT EXISTS (SELECT 1 FROM dead_letter WHERE stream_id = 'project:' || $k OR stream_id LIKE 'task:' || $k || '-%')
                    """);
                check.Parameters.AddWithValue("$k", project);
                check.Parameters.AddWithValue("$p", position);
                if (await check.ExecuteScalarAsync(ct) is string at) due.Add((project, at));
            }
        }
        if (due.Count == 0) return;

        // Called right after a batch is projected (between the feed projection's batches, or in the inline projection's
        // transaction), so the view holds exactly the log up to this batch.
        await sessions.WriteAsync(async session =>
        {
            foreach (var (project, at) in due)
            {
                var take = session.Command("""
                    INSERT OR IGNORE INTO snapshots (project_key, position, at, tasks)
                    SELECT $k, $p, $at, json_group_array(json(data)) FROM view WHERE partition = $k AND kind = 'task'
                    """);
                take.Parameters.AddWithValue("$k", project);
                take.Parameters.AddWithValue("$p", position);
                take.Parameters.AddWithValue("$at", at);
                await take.ExecuteNonQueryAsync(ct);
            }
            return true;
        }, ct);
        foreach (var (project, _) in due) _since[project] = (0, position, 0);
    }

    /// <summary>The project's events after its last snapshot, up to <paramref name="position"/>: counted once per project, then tallied per batch.</summary>
    private static async Task<long> EventsSinceSnapshotAsync(SqliteSession session, string project, long position, CancellationToken ct)
    {
        var count = session.Command("""
            SELECT COUNT(*) FROM event_log
            WHERE project_key = $k AND position <= $p AND position > COALESCE((SELECT MAX(position) FROM snapshots WHERE project_key = $k), 0)
            """);
        count.Parameters.AddWithValue("$k", project);
        count.Parameters.AddWithValue("$p", position);
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }

    /// <summary>How many tasks the project has had (its task counter): a snapshot copies them all, so it waits at least that many events.</summary>
    private static async Task<long> TaskCountAsync(SqliteSession session, string project, CancellationToken ct)
    {
        var read = session.Command("SELECT value FROM counters WHERE project_key = $k AND name = $name");
        read.Parameters.AddWithValue("$k", project);
        read.Parameters.AddWithValue("$name", KanbatteCommands.TaskCounter);
        return await read.ExecuteScalarAsync(ct) is long tasks ? tasks : 0;
    }
}
