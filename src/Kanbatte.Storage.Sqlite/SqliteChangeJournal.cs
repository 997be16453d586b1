using System.Globalization;
using Kanbatte.Application;

namespace Kanbatte.Storage.Sqlite;

/// <summary>
/// The changes journal in the <c>changes</c> table: one row per entry, numbered per project by the <c>counters</c>
/// table in the same write, so numbers follow the order writes commit in (one writer) and there is no gap but what
/// the purge drops. The epoch is the one row of <c>view_epoch</c>; a rebuild's swap replaces it.
/// </summary>
public sealed class SqliteChangeJournal(ISqliteSessions db) : IChangeJournal
{
    internal const string Counter = "changes";

    public SqliteChangeJournal(SqliteDatabase db) : this((ISqliteSessions)db) { }

    public async Task<string> EpochAsync(CancellationToken ct = default)
    {
        await using var session = db.Read();
        return (string)(await session.Command("SELECT epoch FROM view_epoch").ExecuteScalarAsync(ct))!;
    }

    public Task<long> AppendAsync(string projectKey, IReadOnlyList<EntityChange> changes, DateTimeOffset at, CancellationToken ct = default)
    {
        var json = KanbatteJson.Serialize(changes);
        return db.WriteAsync(async session =>
        {
            var seq = await SqliteCounterStore.NextAsync(session, projectKey, Counter, ct);

            var insert = session.Command("INSERT INTO changes (project_key, seq, at, changes) VALUES ($k, $seq, $at, $changes)");
            insert.Parameters.AddWithValue("$k", projectKey);
            insert.Parameters.AddWithValue("$seq", seq);
            insert.Parameters.AddWithValue("$at", KanbatteJson.Format(at));
            insert.Parameters.AddWithValue("$changes", json);
            await insert.ExecuteNonQueryAsync(ct);
            return seq;
        }, ct);
    }

    public async Task<long> HeadAsync(string projectKey, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        await using var session = db.Read();
        return SqliteCounters.Value(session, projectKey, Counter);
    }

    public async Task<IReadOnlyList<JournalEntry>> ReadAsync(string projectKey, long afterSeq, int maxEntries, CancellationToken ct = default)
    {
        await using var session = db.Read();
        var command = session.Command("SELECT seq, at, changes FROM changes WHERE project_key = $k AND seq > $after ORDER BY seq LIMIT $max");
        command.Parameters.AddWithValue("$k", projectKey);
        command.Parameters.AddWithValue("$after", afterSeq);
        command.Parameters.AddWithValue("$max", maxEntries);
        var entries = new List<JournalEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var seq = reader.GetInt64(0);
            // One writer numbers the entries, so a missing one was purged: the cursor that needs it is too old.
            if (seq != afterSeq + 1 + entries.Count)
                throw new ChangesExpiredException($"The changes after entry {afterSeq + entries.Count} of project {projectKey} are no longer kept.");
            entries.Add(new JournalEntry(seq,
                DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                KanbatteJson.Deserialize<List<EntityChange>>(reader.GetString(2))));
        }
        return entries;
    }

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken ct = default) =>
        db.WriteAsync(async session =>
        {
            var command = session.Command("DELETE FROM changes WHERE at < $before");
            command.Parameters.AddWithValue("$before", KanbatteJson.Format(before));
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);
}
