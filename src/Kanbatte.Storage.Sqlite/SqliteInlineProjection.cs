using Kanbatte.Application;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Storage.Sqlite;

/// <summary>
/// The self-hosted server's fast path: an append is projected in its own transaction, by the same <see cref="Projector"/>,
/// whenever the view has caught up with everything before it. Event, view documents, board snapshot and checkpoint then
/// commit together, so the writer reads its own write at once and nothing waits for the feed projection. Anything else
/// (the view behind after a restart, an event the projector cannot apply) is left to the feed projection, as before.
/// </summary>
public sealed class SqliteInlineProjection(ProjectionProgress progress, ILogger<SqliteInlineProjection> logger, SqliteSnapshotStore? snapshots = null)
{
    /// <summary>Projects <paramref name="appended"/> (just inserted, positions known) in <paramref name="session"/>'s transaction; false when it did not.</summary>
    internal async Task<bool> TryProjectAsync(SqliteSession session, IReadOnlyList<EventEnvelope> appended, CancellationToken ct)
    {
        var read = session.Command("SELECT position FROM checkpoints WHERE consumer = $c");
        read.Parameters.AddWithValue("$c", FeedProjection.Consumer);
        var checkpoint = await read.ExecuteScalarAsync(ct) is long position ? position : 0;
        if (checkpoint != appended[0].Position - 1) return false;

        session.Command("SAVEPOINT inline").ExecuteNonQuery();
        try
        {
            var transaction = new InTransaction(session);
            await new Projector(new SqliteViewStore(transaction, SqliteViewStore.DefaultTable), new SqliteEventStore(transaction)).ProjectAsync(appended, ct);
            if (snapshots is not null) await snapshots.CaptureAsync(appended, transaction, ct);
            var save = session.Command(SqliteCheckpointStore.Upsert);
            save.Parameters.AddWithValue("$c", FeedProjection.Consumer);
            save.Parameters.AddWithValue("$p", appended[^1].Position);
            await save.ExecuteNonQueryAsync(ct);
            session.Command("RELEASE inline").ExecuteNonQuery();
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The append stands; the feed projection will try these events again and park them if they keep failing.
            session.Command("ROLLBACK TO inline; RELEASE inline").ExecuteNonQuery();
            logger.LogWarning(e, "Inline projection of {StreamId}@{Version} failed; left to the feed projection", appended[0].StreamId, appended[0].Version);
            return false;
        }
    }

    /// <summary>Called once the transaction that projected up to <paramref name="position"/> has committed.</summary>
    internal void Committed(long position) => progress.ReportProjected(position);
}
