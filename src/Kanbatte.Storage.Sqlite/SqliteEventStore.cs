using System.Globalization;
using System.Text.Json;
using Kanbatte.Application;
using Microsoft.Data.Sqlite;

namespace Kanbatte.Storage.Sqlite;

/// <summary>The event log in the <c>event_log</c> table; its position column is the one ordered feed.</summary>
public sealed class SqliteEventStore : IEventStore, IEventFeed
{
    private const int SqliteUniqueConstraint = 2067; // SQLITE_CONSTRAINT_UNIQUE
    private const string Columns = "position, stream_id, version, type, schema_version, data, metadata, recorded_at";
    private readonly ISqliteSessions _db;

    public SqliteEventStore(SqliteDatabase db) : this((ISqliteSessions)db) { }

    /// <summary>An event store on other sessions: an append transaction's own.</summary>
    internal SqliteEventStore(ISqliteSessions db) => _db = db;

    public Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, CancellationToken ct = default) =>
        AppendAsync(streamId, expectedVersion, events, [], ct);

    public async Task<long> AppendAsync(string streamId, int expectedVersion, IReadOnlyList<EventEnvelope> events, IReadOnlyList<IInTransactionStep> inTransaction, CancellationToken ct = default)
    {
        EventStoreGuards.CheckAppend(streamId, expectedVersion, events);
        // Encoded before taking the writer's turn, which every other write waits for.
        var rows = events.Select(e => (Data: e.Data.GetRawText(), Metadata: JsonSerializer.Serialize(e.Metadata, KanbatteJson.Options), At: KanbatteJson.Format(e.RecordedAt))).ToList();
        return await _db.WriteAsync(async session =>
        {
            // A new stream needs no read: its first event's insert conflicts (UNIQUE (stream_id, version)) exactly when
            // the stream has events. Past that, the unique key alone would let an append ahead of the stream leave a gap.
            if (expectedVersion > 0)
            {
                var check = session.Command("SELECT COALESCE(MAX(version), 0) FROM event_log WHERE stream_id = $stream");
                check.Parameters.AddWithValue("$stream", streamId);
                var current = Convert.ToInt32(await check.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
                if (current != expectedVersion) throw new ConcurrencyException(streamId, expectedVersion);
            }

            var insert = session.Command("""
                INSERT INTO event_log (stream_id, version, type, schema_version, data, metadata, recorded_at, project_key)
                VALUES ($stream, $version, $type, $schema, $data, $metadata, $at, $project)
                RETURNING position
                """);
            var stream = insert.Parameters.AddWithValue("$stream", streamId);
            var version = insert.Parameters.Add("$version", SqliteType.Integer);
            var type = insert.Parameters.Add("$type", SqliteType.Text);
            var schema = insert.Parameters.Add("$schema", SqliteType.Integer);
            var data = insert.Parameters.Add("$data", SqliteType.Text);
            var metadata = insert.Parameters.Add("$metadata", SqliteType.Text);
            var at = insert.Parameters.Add("$at", SqliteType.Text);
            insert.Parameters.AddWithValue("$project", EventEnvelope.ProjectKeyOf(streamId));
            var appended = new List<EventEnvelope>(events.Count);
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                version.Value = e.Version;
                type.Value = e.Type;
                schema.Value = e.SchemaVersion;
                (data.Value, metadata.Value, at.Value) = rows[i];
                try
                {
                    appended.Add(e with { Position = (long)(await insert.ExecuteScalarAsync(ct))! });
                }
                catch (SqliteException conflict) when (conflict.SqliteExtendedErrorCode == SqliteUniqueConstraint)
                {
                    throw new ConcurrencyException(streamId, expectedVersion);
                }
            }

            // The steps run once the whole transaction's writes are in (SqliteDatabase.WriteAsync), on all their events.
            if (inTransaction.Count > 0) session.Appends.Stage(inTransaction, appended);
            return appended[^1].Position;
        }, ct);
    }

    public async Task<IReadOnlyList<EventEnvelope>> ReadStreamAsync(string streamId, int fromVersion, int maxCount = int.MaxValue, CancellationToken ct = default)
    {
        await using var session = _db.Read();
        var command = session.Command($"SELECT {Columns} FROM event_log WHERE stream_id = $stream AND version >= $from ORDER BY version LIMIT $max");
        command.Parameters.AddWithValue("$stream", streamId);
        command.Parameters.AddWithValue("$from", fromVersion);
        command.Parameters.AddWithValue("$max", maxCount);
        return await ReadAsync(command, ct);
    }

    public async Task<IReadOnlyList<EventEnvelope>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken ct = default)
    {
        await using var session = _db.Read();
        var command = session.Command($"SELECT {Columns} FROM event_log WHERE position > $after ORDER BY position LIMIT $max");
        command.Parameters.AddWithValue("$after", afterPosition);
        command.Parameters.AddWithValue("$max", maxCount);
        return await ReadAsync(command, ct);
    }

    public async Task<EventPage> ReadProjectAsync(string projectKey, bool newestFirst, string? after, DateTimeOffset? until, int maxCount, CancellationToken ct = default)
    {
        long? afterPosition = null;
        if (after is not null)
        {
            if (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
                throw new ArgumentException("Not a position of this store.", nameof(after));
            afterPosition = position;
        }
        var sql = new System.Text.StringBuilder($"SELECT {Columns} FROM event_log WHERE project_key = $project");
        if (afterPosition is not null) sql.Append(newestFirst ? " AND position < $after" : " AND position > $after");
        if (until is not null) sql.Append(" AND recorded_at <= $until");
        sql.Append(newestFirst ? " ORDER BY position DESC" : " ORDER BY position").Append(" LIMIT $max");

        await using var session = _db.Read();
        var command = session.Command(sql.ToString());
        command.Parameters.AddWithValue("$project", projectKey);
        if (afterPosition is not null) command.Parameters.AddWithValue("$after", afterPosition.Value);
        if (until is not null) command.Parameters.AddWithValue("$until", KanbatteJson.Format(until.Value));
        command.Parameters.AddWithValue("$max", maxCount + 1);
        var events = await ReadAsync(command, ct);
        return events.Count > maxCount
            ? new EventPage(events.Take(maxCount).ToList(), events[maxCount - 1].Position.ToString(CultureInfo.InvariantCulture))
            : new EventPage(events, null);
    }

    private static async Task<IReadOnlyList<EventEnvelope>> ReadAsync(SqliteCommand command, CancellationToken ct)
    {
        var events = new List<EventEnvelope>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            events.Add(new EventEnvelope(
                StreamId: reader.GetString(1),
                Version: reader.GetInt32(2),
                Type: reader.GetString(3),
                SchemaVersion: reader.GetInt32(4),
                Data: JsonSerializer.Deserialize<JsonElement>(reader.GetString(5)),
                RecordedAt: DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                Metadata: JsonSerializer.Deserialize<EventMetadata>(reader.GetString(6), KanbatteJson.Options)!,
                Position: reader.GetInt64(0)));
        }
        return events;
    }
}
