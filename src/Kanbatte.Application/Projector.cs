using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>
/// Turns events into view documents. The same code runs behind the SQLite feed and the Cosmos DB change feed.
/// Each entity document records the version of the last event of its stream applied to it, so a redelivered,
/// duplicated or replayed event changes nothing, and a version gap (an event missed or parked) is filled from the log.
/// A document derived from a stream (a comment, a followup) is written before the stream's own document, so a crash between
/// the two writes is repaired by redelivery.
/// <para>
/// After the view, each project's changes journal gets one entry naming the entities the batch changed (with a
/// <paramref name="journal"/>; a rebuild writes none). Events delivered again tell their entities again, as they are
/// now: a crash between the view writes and the journal leaves the documents written but untold, and the redelivery
/// that follows is what tells them.
/// </para>
/// </summary>
public sealed class Projector(IViewStore view, IEventStore events, IChangeJournal? journal = null, TimeProvider? clock = null) : IBatchProjection
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Projects the batch; returns the projects whose journal got an entry, with its number.</summary>
    public Task<IReadOnlyList<ProjectChanged>> ProjectAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken ct = default) =>
        ProjectAsync(batch, followsTheView: false, states: null, ct);

    /// <summary>
    /// Projects a batch known to follow exactly what the view holds: the events right after its checkpoint, never
    /// delivered before (the inline projection, in the transaction that appends them). A stream whose first event is in
    /// the batch then has no document yet, and none is read for it: a new task or project costs no view read. Nor is one
    /// read for a task whose state just before the batch is in <paramref name="states"/> (the write pipeline's cache, which
    /// the command decided on): the view's documents are that state, as both are the fold of the same events.
    /// </summary>
    public Task<IReadOnlyList<ProjectChanged>> ProjectNextAsync(IReadOnlyList<EventEnvelope> batch, StreamStateCache? states = null, CancellationToken ct = default) =>
        ProjectAsync(batch, followsTheView: true, states, ct);

    private async Task<IReadOnlyList<ProjectChanged>> ProjectAsync(IReadOnlyList<EventEnvelope> batch, bool followsTheView, StreamStateCache? states, CancellationToken ct)
    {
        var changes = new List<ViewChange>();
        var told = new Dictionary<string, List<EntityChange>>(StringComparer.Ordinal);
        foreach (var stream in batch.GroupBy(e => e.StreamId, StringComparer.Ordinal))
        {
            var projectKey = EventEnvelope.ProjectKeyOf(stream.Key);
            if (!told.TryGetValue(projectKey, out var entities)) told[projectKey] = entities = [];
            var first = stream.Min(e => e.Version);
            var isNew = followsTheView && first == 1;
            if (stream.Key.StartsWith(StreamIds.ProjectPrefix, StringComparison.Ordinal))
                await ProjectProjectStreamAsync(stream.Key, stream, isNew, changes, entities, ct);
            else if (stream.Key.StartsWith(StreamIds.TaskPrefix, StringComparison.Ordinal))
            {
                // Only a state at exactly the version before the batch is the view's: the version is the whole check.
                var known = followsTheView && !isNew && states?.Get<TaskStream>(stream.Key) is { } cached && cached.Version == first - 1 ? cached : null;
                await ProjectTaskStreamAsync(stream.Key, stream, isNew, known, changes, entities, ct);
            }
            else
                throw new InvalidOperationException($"No projection for stream '{stream.Key}'.");
        }
        if (changes.Count > 0) await view.WriteAsync(changes, ct);
        if (journal is null) return [];

        var changed = new List<ProjectChanged>();
        var at = _clock.GetUtcNow();
        foreach (var (projectKey, entities) in told)
            if (entities.Count > 0)
                changed.Add(new ProjectChanged(projectKey, await journal.AppendAsync(projectKey, entities, at, ct)));
        return changed;
    }

    /// <param name="isNew">The stream starts in this batch, which follows what the view holds: it has no document yet.</param>
    private async Task ProjectProjectStreamAsync(string streamId, IEnumerable<EventEnvelope> delivered, bool isNew, List<ViewChange> changes, List<EntityChange> told, CancellationToken ct)
    {
        var key = streamId[StreamIds.ProjectPrefix.Length..];
        var (partition, id) = ViewKeys.Project(key);
        var doc = isNew ? null : await view.GetAsync(partition, id, ct);
        var applied = doc?.Version ?? 0;
        var pending = await PendingAsync(streamId, applied, delivered, ct);
        if (pending.Count == 0)
        {
            await TellAgainAsync(key, doc, delivered, told, ct);
            return;
        }

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
            {
                var memberDoc = new ViewDocument(mp, mid, ViewKeys.MemberKind, at, KanbatteJson.Serialize(member));
                changes.Add(new ViewChange(memberDoc));
                told.Add(EntityChange.Of(EntityChange.Member, userId, memberDoc, at));
            }
            else
            {
                changes.AddRange([ViewChange.Delete(mp, mid, at), ViewChange.Delete(cp, cid, at)]);
                told.Add(EntityChange.Of(EntityChange.Member, userId, null, at));
            }
        }
        // Members the delivered events are about but that were applied already: told again as they are now.
        await TellMembersAgainAsync(key, delivered.Where(e => e.Version <= applied), touched.Keys, version, told, ct);
        foreach (var userId in stream.Members.Keys)
        {
            var (cp, cid) = ViewKeys.Membership(userId, key);
            changes.Add(new ViewChange(new ViewDocument(cp, cid, ViewKeys.MembershipKind, version, projectJson)));
        }
        var (up, uid) = ViewKeys.Unowned(key);
        if (!stream.HasOwner)
            changes.Add(new ViewChange(new ViewDocument(up, uid, ViewKeys.UnownedKind, version, KanbatteJson.Serialize(new { key, name = stream.Project.Name }))));
        else if (owned && doc is not null)
            changes.Add(ViewChange.Delete(up, uid, version));
        var projectDoc = new ViewDocument(partition, id, ViewKeys.ProjectKind, version, projectJson);
        changes.Add(new ViewChange(projectDoc));
        told.Add(EntityChange.Of(EntityChange.Project, key, projectDoc, version));
    }

    /// <summary>Every member of a project, from the view.</summary>
    private async Task<List<Member>> AllAsync(string key, string kind, CancellationToken ct)
    {
        var all = new List<Member>();
        string? after = null;
        while (true)
        {
            var page = await view.ListByIdAsync(key, [kind], after, 500, ct);
            all.AddRange(page.Select(d => KanbatteJson.Deserialize<Member>(d.Json)));
            if (page.Count < 500) return all;
            after = page[^1].Id;
        }
    }

    /// <param name="known">The stream's state at the version the view holds, when the caller has it: then nothing is read.</param>
    private async Task ProjectTaskStreamAsync(string streamId, IEnumerable<EventEnvelope> delivered, bool isNew, TaskStream? known, List<ViewChange> changes, List<EntityChange> told, CancellationToken ct)
    {
        var taskId = streamId[StreamIds.TaskPrefix.Length..];
        var projectKey = EventEnvelope.ProjectKeyOf(streamId);
        var (partition, id) = ViewKeys.Task(projectKey, taskId);
        var doc = isNew || known is not null ? null : await view.GetAsync(partition, id, ct);
        var applied = known?.Version ?? doc?.Version ?? 0;
        var pending = await PendingAsync(streamId, applied, delivered, ct);
        if (pending.Count == 0)
        {
            await TellAgainAsync(projectKey, doc, delivered, told, ct);
            return;
        }

        // The task stream's own fold, on the part of it these events touch: the task and the children (comments and
        // followups) they are about, each read once from the view (one they add needs no read; a known state has them all).
        var decoded = pending.Select(e => (Envelope: e, Event: EventCodec.Decode(e))).ToList();
        var (comments, followups) = (TaskStream.NoComments, TaskStream.NoFollowups);
        var touched = new Dictionary<Child, int>(); // child -> version of the last event about it
        foreach (var (envelope, e) in decoded)
        {
            if (ChildOf(e) is not { } child) continue;
            if (known is null && !touched.ContainsKey(child) && e is not (CommentAdded or FollowupAdded) && await view.GetAsync(projectKey, child.DocumentId, ct) is { } existing)
            {
                if (child.Kind == ViewKeys.CommentKind) comments = comments.SetItem(child.Id, KanbatteJson.Deserialize<CommentState>(existing.Json));
                else followups = followups.SetItem(child.Id, KanbatteJson.Deserialize<FollowupState>(existing.Json));
            }
            touched[child] = envelope.Version;
        }
        var stream = known ?? (doc is null ? null : new TaskStream(KanbatteJson.Deserialize<TaskState>(doc.Json), comments) { Followups = followups });
        foreach (var (envelope, e) in decoded) stream = TaskDecider.EvolveStream(stream, e, envelope.Version, envelope.RecordedAt);
        if (stream is null) return;

        // Children first, the task's own document last (see the class summary).
        foreach (var (child, version) in touched)
        {
            var json = child.Kind == ViewKeys.CommentKind
                ? stream.Comments.TryGetValue(child.Id, out var comment) ? KanbatteJson.Serialize(comment) : null
                : stream.Followups.TryGetValue(child.Id, out var followup) ? KanbatteJson.Serialize(followup) : null;
            var childDoc = json is null ? null : new ViewDocument(projectKey, child.DocumentId, child.Kind, version, json);
            changes.Add(childDoc is null ? ViewChange.Delete(projectKey, child.DocumentId, version) : new ViewChange(childDoc));
            told.Add(EntityChange.Of(child.Entity, child.Id, childDoc, version));
        }
        var last = pending[^1].Version;
        // Children the delivered events are about but that were applied already: told again as they are now.
        await TellChildrenAgainAsync(projectKey, delivered.Where(e => e.Version <= applied), touched.Keys, last, told, ct);
        var taskDoc = new ViewDocument(partition, id, ViewKeys.TaskKind, last, KanbatteJson.Serialize(stream.Task));
        changes.Add(new ViewChange(taskDoc));
        told.Add(EntityChange.Of(EntityChange.Task, taskId, taskDoc, last));
    }

    /// <summary>
    /// A stream whose delivered events the view has applied already: its entities are told again as the view holds them
    /// now, since the delivery that applied them may have stopped before the journal heard of them.
    /// </summary>
    private async Task TellAgainAsync(string projectKey, ViewDocument? doc, IEnumerable<EventEnvelope> delivered, List<EntityChange> told, CancellationToken ct)
    {
        if (journal is null || doc is null) return;
        if (doc.Kind == ViewKeys.ProjectKind)
        {
            await TellMembersAgainAsync(projectKey, delivered, [], doc.Version, told, ct);
            told.Add(EntityChange.Of(EntityChange.Project, projectKey, doc, doc.Version));
        }
        else
        {
            await TellChildrenAgainAsync(projectKey, delivered, [], doc.Version, told, ct);
            told.Add(EntityChange.Of(EntityChange.Task, doc.Id["task:".Length..], doc, doc.Version));
        }
    }

    private async Task TellMembersAgainAsync(string projectKey, IEnumerable<EventEnvelope> applied, IEnumerable<string> toldAlready, int version, List<EntityChange> told, CancellationToken ct)
    {
        if (journal is null) return;
        var ids = applied.Select(e => ProjectDecider.MemberIdOf(EventCodec.Decode(e))).OfType<string>().Except(toldAlready, StringComparer.Ordinal).Distinct(StringComparer.Ordinal);
        foreach (var userId in ids)
        {
            var (mp, mid) = ViewKeys.Member(projectKey, userId);
            // A member gone from the view is told removed at the stream's version, which is at or after the removal.
            told.Add(EntityChange.Of(EntityChange.Member, userId, await view.GetAsync(mp, mid, ct), version));
        }
    }

    private async Task TellChildrenAgainAsync(string projectKey, IEnumerable<EventEnvelope> applied, IEnumerable<Child> toldAlready, int version, List<EntityChange> told, CancellationToken ct)
    {
        if (journal is null) return;
        foreach (var child in applied.Select(e => ChildOf(EventCodec.Decode(e))).OfType<Child>().Except(toldAlready).Distinct())
            told.Add(EntityChange.Of(child.Entity, child.Id, await view.GetAsync(projectKey, child.DocumentId, ct), version));
    }

    /// <summary>A document derived from a task's stream: a comment or a followup, in its project's partition.</summary>
    private sealed record Child(string Kind, string Entity, string Id)
    {
        public string DocumentId => $"{Kind}:{Id}";
    }

    private static Child? ChildOf(IDomainEvent e) =>
        TaskDecider.CommentIdOf(e) is { } comment ? new Child(ViewKeys.CommentKind, EntityChange.Comment, comment)
        : TaskDecider.FollowupIdOf(e) is { } followup ? new Child(ViewKeys.FollowupKind, EntityChange.Followup, followup)
        : null;

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
