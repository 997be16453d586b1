using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Kanbatte.ReliabilityTests;

/// <summary>
/// What the view must be, derived from the log alone: a rebuild through the projector into a fresh view, and an
/// independent pure fold of each stream (so a projector bug cannot hide behind a rebuild by the same projector).
/// </summary>
public static class LogOracle
{
    public static async Task<IReadOnlyList<EventEnvelope>> ReadLogAsync(SqliteEventStore store)
    {
        var all = new List<EventEnvelope>();
        for (long after = 0; ;)
        {
            var batch = await store.ReadAllAsync(after, 1000);
            if (batch.Count == 0) return all;
            all.AddRange(batch);
            after = batch[^1].Position;
        }
    }

    /// <summary>The view a rebuild from position 0 gives, in feed-sized batches, in a throwaway database next to <paramref name="folder"/>.</summary>
    public static async Task<IReadOnlyList<ViewRow>> RebuildAsync(SqliteEventStore events, string folder)
    {
        var path = Path.Combine(folder, $"rebuild-{Guid.NewGuid():N}.db");
        using var viewDb = new SqliteDatabase(new SqliteOptions { Path = path });
        var projector = new Projector(new SqliteViewStore(viewDb), events);
        for (long after = 0; ;)
        {
            var batch = await events.ReadAllAsync(after, FeedProjection.BatchSize);
            if (batch.Count == 0) break;
            await projector.ProjectAsync(batch);
            after = batch[^1].Position;
        }
        return ViewRows(path);
    }

    /// <summary>Each stream folded on its own, written out as the view documents it must give.</summary>
    public static IReadOnlyList<ViewRow> Fold(IReadOnlyList<EventEnvelope> log)
    {
        var rows = new List<ViewRow>();
        foreach (var stream in log.GroupBy(e => e.StreamId))
        {
            var events = stream.OrderBy(e => e.Version).ToList();
            if (stream.Key.StartsWith(StreamIds.ProjectPrefix, StringComparison.Ordinal))
            {
                var project = EventCodec.FoldProject(events)!;
                var projectJson = KanbatteJson.Serialize(project);
                rows.Add(new ViewRow(ViewKeys.ProjectsPartition, "project:" + project.Key, ViewKeys.ProjectKind, project.Version, projectJson));
                // Each member as their own events leave them, at the version of the last one; each member's copy of the
                // project as it is now; and, while it has no owner, the project in the operators' list.
                var members = new Dictionary<string, (Member? State, int Version)>(StringComparer.Ordinal);
                foreach (var envelope in events)
                {
                    var e = EventCodec.Decode(envelope);
                    var at = envelope.RecordedAt;
                    switch (e)
                    {
                        case ProjectCreated { Owner: { } owner }:
                            members[owner.Id] = (new Member(owner.Id, owner.Name, ProjectRoles.Owner, at), envelope.Version);
                            break;
                        case MemberAdded a:
                            members[a.UserId] = (new Member(a.UserId, a.Name, a.Role, at), envelope.Version);
                            break;
                        case MemberRoleChanged c:
                            members[c.UserId] = (members[c.UserId].State! with { Role = c.Role }, envelope.Version);
                            break;
                        case MemberRemoved r:
                            members[r.UserId] = (null, envelope.Version);
                            break;
                    }
                }
                foreach (var (userId, (member, version)) in members.Where(m => m.Value.State is not null))
                {
                    var (mp, mid) = ViewKeys.Member(project.Key, userId);
                    var (cp, cid) = ViewKeys.Membership(userId, project.Key);
                    rows.Add(new ViewRow(mp, mid, ViewKeys.MemberKind, version, KanbatteJson.Serialize(member)));
                    rows.Add(new ViewRow(cp, cid, ViewKeys.MembershipKind, project.Version, projectJson));
                }
                if (!members.Values.Any(m => m.State?.Role == ProjectRoles.Owner))
                {
                    var (up, uid) = ViewKeys.Unowned(project.Key);
                    rows.Add(new ViewRow(up, uid, ViewKeys.UnownedKind, project.Version, KanbatteJson.Serialize(new { key = project.Key, name = project.Name })));
                }
                continue;
            }
            var task = EventCodec.FoldTask(events)!;
            rows.Add(new ViewRow(task.ProjectKey, "task:" + task.Id, ViewKeys.TaskKind, task.Version, KanbatteJson.Serialize(task)));
            // Each comment as its own events leave it (added, edited, deleted), at the version of the last one.
            var comments = new Dictionary<string, (CommentState? State, int Version)>(StringComparer.Ordinal);
            foreach (var envelope in events)
            {
                var e = EventCodec.Decode(envelope);
                var commentId = e switch { CommentAdded a => a.CommentId, CommentEdited c => c.CommentId, CommentDeleted d => d.CommentId, _ => null };
                if (commentId is null) continue;
                var before = comments.TryGetValue(commentId, out var known) ? known.State : null;
                comments[commentId] = (TaskDecider.EvolveComment(before, task.Id, e, envelope.RecordedAt), envelope.Version);
            }
            foreach (var (commentId, (comment, version)) in comments)
                if (comment is not null)
                    rows.Add(new ViewRow(task.ProjectKey, "comment:" + commentId, ViewKeys.CommentKind, version, KanbatteJson.Serialize(comment)));
        }
        return Sorted(rows);
    }

    /// <summary>Every row of a view table, read-only, in key order.</summary>
    public static IReadOnlyList<ViewRow> ViewRows(string databasePath, string table = "view")
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT partition, id, kind, version, data FROM {table}";
        using var reader = command.ExecuteReader();
        var rows = new List<ViewRow>();
        while (reader.Read()) rows.Add(new ViewRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4)));
        reader.Close();
        // The list columns are copies of each document's fields: lists and counts read them, not the JSON.
        command.CommandText = $"""
            SELECT COUNT(*) FROM {table} WHERE number IS NOT json_extract(data, '$.number') OR task_id IS NOT json_extract(data, '$.taskId')
                OR status IS NOT json_extract(data, '$.status') OR rank IS NOT json_extract(data, '$.rank') OR archived IS NOT json_extract(data, '$.archived')
            """;
        var stale = (long)command.ExecuteScalar()!;
        if (stale != 0) throw new InvalidOperationException($"{stale} rows of {table} have list columns that are not their document's.");
        return Sorted(rows);
    }

    public static long Scalar(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is long value ? value : 0;
    }

    /// <summary>Asserts two views are equal, naming the first rows that differ (a whole-list diff is unreadable).</summary>
    public static void AssertSame(IReadOnlyList<ViewRow> expected, IReadOnlyList<ViewRow> actual, string what)
    {
        var missing = expected.Except(actual).Take(3).ToList();
        var extra = actual.Except(expected).Take(3).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0 && expected.Count == actual.Count,
            $"{what}: expected {expected.Count} rows, got {actual.Count}. Missing or different: {string.Join(" | ", missing)}. Unexpected: {string.Join(" | ", extra)}");
    }

    private static IReadOnlyList<ViewRow> Sorted(IEnumerable<ViewRow> rows) =>
        rows.OrderBy(r => r.Partition, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
}
