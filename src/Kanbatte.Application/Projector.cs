using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>
/// Turns events into view documents. The same code runs behind the SQLite feed and the Cosmos DB change feed.
/// Each entity document records the version of the last event of its stream applied to it, so a redelivered,
/// duplicated or replayed event changes nothing, and a version gap (an event missed or parked) is filled from the log.
/// A document derived from a stream (a comment) is written before the stream's own document, so a crash between
/// the two writes is repaired by redelivery.
/// </summary>
public sealed class Projector(IViewStore view, IEventStore events) : IBatchProjection
{
    public async Task ProjectAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken ct = default)
    {
        var changes = new List<ViewChange>();
        foreach (var stream in batch.GroupBy(e => e.StreamId, StringComparer.Ordinal))
        {
            if (stream.Key.StartsWith(StreamIds.ProjectPrefix, StringComparison.Ordinal))
                await ProjectProjectStreamAsync(stream.Key, stream, changes, ct);
            else if (stream.Key.StartsWith(StreamIds.TaskPrefix, StringComparison.Ordinal))
                await ProjectTaskStreamAsync(stream.Key, stream, changes, ct);
            else
                throw new InvalidOperationException($"No projection for stream '{stream.Key}'.");
        }
        if (changes.Count > 0) await view.WriteAsync(changes, ct);
    }

    private async Task ProjectProjectStreamAsync(string streamId, IEnumerable<EventEnvelope> delivered, List<ViewChange> changes, CancellationToken ct)
    {
        var (partition, id) = ViewKeys.Project(streamId[StreamIds.ProjectPrefix.Length..]);
        var doc = await view.GetAsync(partition, id, ct);
        var state = doc is null ? null : KanbatteJson.Deserialize<ProjectState>(doc.Json);
        var pending = await PendingAsync(streamId, doc?.Version ?? 0, delivered, ct);
        if (pending.Count == 0) return;

        state = EventCodec.FoldProject(pending, state);
        if (state is not null)
            changes.Add(new ViewChange(partition, id, new ViewDocument(partition, id, ViewKeys.ProjectKind, pending[^1].Version, KanbatteJson.Serialize(state))));
    }

    private async Task ProjectTaskStreamAsync(string streamId, IEnumerable<EventEnvelope> delivered, List<ViewChange> changes, CancellationToken ct)
    {
        var taskId = streamId[StreamIds.TaskPrefix.Length..];
        var projectKey = EventEnvelope.ProjectKeyOf(streamId);
        var (partition, id) = ViewKeys.Task(projectKey, taskId);
        var doc = await view.GetAsync(partition, id, ct);
        var state = doc is null ? null : KanbatteJson.Deserialize<TaskState>(doc.Json);
        var pending = await PendingAsync(streamId, doc?.Version ?? 0, delivered, ct);
        if (pending.Count == 0) return;

        // Comments this batch touches, read once each; written (or deleted) before the task's own document.
        var comments = new Dictionary<string, (CommentState? State, int Version)>(StringComparer.Ordinal);
        foreach (var envelope in pending)
        {
            var e = EventCodec.Decode(envelope);
            state = TaskDecider.Evolve(state, e, envelope.Version, envelope.RecordedAt);
            var commentId = e switch { CommentAdded a => a.CommentId, CommentEdited c => c.CommentId, CommentDeleted d => d.CommentId, _ => null };
            if (commentId is null) continue;
            if (!comments.TryGetValue(commentId, out var comment) && e is not CommentAdded)
            {
                var (cp, cid) = ViewKeys.Comment(projectKey, commentId);
                var existing = await view.GetAsync(cp, cid, ct);
                comment = (existing is null ? null : KanbatteJson.Deserialize<CommentState>(existing.Json), existing?.Version ?? 0);
            }
            comments[commentId] = (TaskDecider.EvolveComment(comment.State, taskId, e, envelope.RecordedAt), envelope.Version);
        }
        foreach (var (commentId, (comment, version)) in comments)
        {
            var (cp, cid) = ViewKeys.Comment(projectKey, commentId);
            changes.Add(new ViewChange(cp, cid, comment is null ? null : new ViewDocument(cp, cid, ViewKeys.CommentKind, version, KanbatteJson.Serialize(comment))));
        }
        if (state is not null)
            changes.Add(new ViewChange(partition, id, new ViewDocument(partition, id, ViewKeys.TaskKind, pending[^1].Version, KanbatteJson.Serialize(state))));
    }

    /// <summary>The events still to apply after <paramref name="applied"/>, in order, with any gap read from the log.</summary>
    private async Task<List<EventEnvelope>> PendingAsync(string streamId, int applied, IEnumerable<EventEnvelope> delivered, CancellationToken ct)
    {
        var pending = new List<EventEnvelope>();
        var next = applied + 1;
        foreach (var e in delivered.OrderBy(e => e.Version))
        {
            if (e.Version < next) continue;
            if (e.Version > next) pending.AddRange(await events.ReadStreamAsync(streamId, next, e.Version - next, ct));
            pending.Add(e);
            next = e.Version + 1;
        }
        return pending;
    }
}
