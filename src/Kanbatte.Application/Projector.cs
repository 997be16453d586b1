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
        var pending = await PendingAsync(streamId, doc?.Version ?? 0, delivered, ct);
        if (pending.Count == 0) return;

        // The task stream's own fold, on the part of it these events touch: the task and the comments they are about,
        // each read once from the view (a comment they add needs no read).
        var decoded = pending.Select(e => (Envelope: e, Event: EventCodec.Decode(e))).ToList();
        var comments = TaskStream.NoComments;
        var touched = new Dictionary<string, int>(StringComparer.Ordinal); // comment id -> version of the last event about it
        foreach (var (envelope, e) in decoded)
        {
            if (TaskDecider.CommentIdOf(e) is not { } commentId) continue;
            if (!touched.ContainsKey(commentId) && e is not CommentAdded)
            {
                var (cp, cid) = ViewKeys.Comment(projectKey, commentId);
                if (await view.GetAsync(cp, cid, ct) is { } existing) comments = comments.SetItem(commentId, KanbatteJson.Deserialize<CommentState>(existing.Json));
            }
            touched[commentId] = envelope.Version;
        }
        var stream = doc is null ? null : new TaskStream(KanbatteJson.Deserialize<TaskState>(doc.Json), comments);
        foreach (var (envelope, e) in decoded) stream = TaskDecider.EvolveStream(stream, e, envelope.Version, envelope.RecordedAt);
        if (stream is null) return;

        // Comments first, the task's own document last (see the class summary).
        foreach (var (commentId, version) in touched)
        {
            var (cp, cid) = ViewKeys.Comment(projectKey, commentId);
            changes.Add(new ViewChange(cp, cid, stream.Comments.TryGetValue(commentId, out var comment)
                ? new ViewDocument(cp, cid, ViewKeys.CommentKind, version, KanbatteJson.Serialize(comment))
                : null));
        }
        changes.Add(new ViewChange(partition, id, new ViewDocument(partition, id, ViewKeys.TaskKind, pending[^1].Version, KanbatteJson.Serialize(stream.Task))));
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
