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
        var key = streamId[StreamIds.ProjectPrefix.Length..];
        var (partition, id) = ViewKeys.Project(key);
        var doc = await view.GetAsync(partition, id, ct);
        var pending = await PendingAsync(streamId, doc?.Version ?? 0, delivered, ct);
        if (pending.Count == 0) return;

        // The project stream's own fold, on the project and all its members (the members' documents, read with one query a page).
        var members = ProjectStream.NoMembers;
        if (doc is not null)
            foreach (var member in await AllAsync(key, ViewKeys.MemberKind, ct))
                members = members.SetItem(member.UserId, member);
        var stream = doc is null ? null : new ProjectStream(KanbatteJson.Deserialize<ProjectState>(doc.Json), members);
        var touched = new Dictionary<string, int>(StringComparer.Ordinal); // user id -> version of the last event about them
        var owned = false;
        foreach (var envelope in pending)
        {
            var e = EventCodec.Decode(envelope);
            stream = ProjectDecider.EvolveStream(stream, e, envelope.Version, envelope.RecordedAt);
            if (ProjectDecider.MemberIdOf(e) is { } userId) touched[userId] = envelope.Version;
            owned |= e is ProjectCreated { Owner: not null } or MemberAdded { Role: ProjectRoles.Owner } or MemberRoleChanged { Role: ProjectRoles.Owner };
        }
        if (stream is null) return;

        // Derived documents first, the project's own last (see the class summary): the members the events are about;
        // every member's copy of the project (their project list shows it as it is now); whether it still lacks an owner.
        var version = pending[^1].Version;
        var projectJson = KanbatteJson.Serialize(stream.Project);
        foreach (var (userId, at) in touched)
        {
            var (mp, mid) = ViewKeys.Member(key, userId);
            var (cp, cid) = ViewKeys.Membership(userId, key);
            if (stream.Members.TryGetValue(userId, out var member))
                changes.Add(new ViewChange(mp, mid, new ViewDocument(mp, mid, ViewKeys.MemberKind, at, KanbatteJson.Serialize(member))));
            else
                changes.AddRange([new ViewChange(mp, mid, null), new ViewChange(cp, cid, null)]);
        }
        foreach (var userId in stream.Members.Keys)
        {
            var (cp, cid) = ViewKeys.Membership(userId, key);
            changes.Add(new ViewChange(cp, cid, new ViewDocument(cp, cid, ViewKeys.MembershipKind, version, projectJson)));
        }
        var (up, uid) = ViewKeys.Unowned(key);
        if (!stream.HasOwner)
            changes.Add(new ViewChange(up, uid, new ViewDocument(up, uid, ViewKeys.UnownedKind, version, KanbatteJson.Serialize(new { key, name = stream.Project.Name }))));
        else if (owned && doc is not null)
            changes.Add(new ViewChange(up, uid, null));
        changes.Add(new ViewChange(partition, id, new ViewDocument(partition, id, ViewKeys.ProjectKind, version, projectJson)));
    }

    /// <summary>Every member of a project, from the view.</summary>
    private async Task<List<Member>> AllAsync(string key, string kind, CancellationToken ct)
    {
        var all = new List<Member>();
        string? after = null;
        while (true)
        {
            var page = await view.ListByIdAsync(key, kind, after, 500, ct);
            all.AddRange(page.Select(d => KanbatteJson.Deserialize<Member>(d.Json)));
            if (page.Count < 500) return all;
            after = page[^1].Id;
        }
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
