namespace Kanbatte.Application;

/// <summary>
/// A project's changes feed, for clients that sync: a first pull lists every entity of the project from the view;
/// later pulls read the project's changes journal after the cursor. Each page is one store query (plus a point read or
/// two on a first pull), within the project's partition, whatever the length of its history.
/// <para>
/// Why nothing is missed: the projector appends a journal entry only after the view holds what it tells, and entry
/// numbers never go back. A first pull reads the journal's head before listing, so a change the listing did not see
/// was written to the view after the head was read, and its entry comes after the head. Later pulls read the entries
/// in number order without skipping a gap (<see cref="IChangeJournal.ReadAsync"/>). Where a read may come from a replica
/// a moment behind another instance's write (Cosmos DB), each page of a first pull fences the project's documents after
/// the head was read (<see cref="IViewStore.FenceProjectAsync"/>). An entity may come more than once
/// (a client keeps the highest version of each); none is left out.
/// </para>
/// </summary>
public sealed class ChangesFeed(IViewStore view, IChangeJournal journal, ChangesOptions options, TimeProvider clock)
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 1000;

    /// <summary>Journal entries read for one page at most: entries hold a batch's changes each, so a page never reads a backlog whole.</summary>
    public const int MaxEntriesPerPage = 200;

    /// <summary>The kinds of document a project's partition holds for clients: every one is an entity of the feed.</summary>
    private static readonly IReadOnlyList<string> EntityKinds = [ViewKeys.MemberKind, ViewKeys.TaskKind, ViewKeys.CommentKind, ViewKeys.FollowupKind];

    /// <summary>The project's changes after <paramref name="since"/> (everything, without one), at most <paramref name="limit"/>.</summary>
    public async Task<ChangesPage> PullAsync(string projectKey, ChangesCursor? since, int limit, CancellationToken ct = default)
    {
        var epoch = await journal.EpochAsync(ct);
        var now = clock.GetUtcNow();
        if (since is null)
            since = new ChangesCursor(projectKey, epoch, await journal.HeadAsync(projectKey, ct), 0, Listing: true, ListedThrough: null, ChangesCursor.Hour(now));
        else if (since.Epoch != epoch)
            throw new ChangesExpiredException("The view was rebuilt after this cursor was issued: pull again without 'since'.");
        else if (now - since.Basis > options.Retention + TimeSpan.FromHours(1))
            throw new ChangesExpiredException($"This cursor is older than the {options.RetentionDays} days changes are kept: pull again without 'since'.");
        return since.Listing ? await ListAsync(since, limit, ct) : await ReadJournalAsync(since, limit, now, ct);
    }

    /// <summary>A page of a first pull: the project, then its members, tasks and comments by id, all as they are now.</summary>
    private async Task<ChangesPage> ListAsync(ChangesCursor since, int limit, CancellationToken ct)
    {
        var changes = new List<EntityChange>();
        var key = since.ProjectKey;
        // After the head was read: what an entry up to the head tells, another instance wrote to the view before it.
        await view.FenceProjectAsync(key, ct);
        if (since.ListedThrough is null)
        {
            var (partition, id) = ViewKeys.Project(key);
            if (await view.GetAsync(partition, id, ct) is { } project) changes.Add(EntityChange.Of(EntityChange.Project, key, project, project.Version));
        }
        var room = limit - changes.Count;
        var docs = room == 0 ? [] : await view.ListByIdAsync(key, EntityKinds, since.ListedThrough, room + 1, ct);
        changes.AddRange(docs.Take(room).Select(ChangeOf));
        if (room == 0 || docs.Count > room)
            return new ChangesPage(changes, since with { ListedThrough = room == 0 ? "" : docs[room - 1].Id }, HasMore: true);
        // Listed: from here on the journal, from the head read before the listing began; what changed while the listing
        // ran is waiting there, so the client is told to go on at once.
        var done = since with { Listing = false, ListedThrough = null };
        return new ChangesPage(changes, done, HasMore: await journal.HeadAsync(key, ct) > since.Seq);
    }

    /// <summary>A page of the journal after the cursor: each entry's changes in order, the last change of each entity in the page kept.</summary>
    private async Task<ChangesPage> ReadJournalAsync(ChangesCursor since, int limit, DateTimeOffset now, CancellationToken ct)
    {
        // One entry more than a page can need (each holds at least one change, but for a filler), so a full read says more may follow.
        var requested = Math.Min(limit + 1, MaxEntriesPerPage);
        var entries = await journal.ReadAsync(since.ProjectKey, since.Seq, requested, ct);
        var changes = new List<EntityChange>();
        var (seq, offset) = (since.Seq, since.Offset);
        DateTimeOffset? waiting = null; // when the first entry not yet wholly sent was recorded
        foreach (var entry in entries)
        {
            var from = entry.Seq == since.Seq + 1 ? since.Offset : 0;
            var room = limit - changes.Count;
            if (entry.Changes.Count - from > room)
            {
                changes.AddRange(entry.Changes.Skip(from).Take(room));
                (seq, offset, waiting) = (entry.Seq - 1, from + room, entry.At);
                break;
            }
            changes.AddRange(entry.Changes.Skip(from));
            (seq, offset) = (entry.Seq, 0);
        }
        var hasMore = waiting is not null || entries.Count == requested;
        var cursor = since with { Seq = seq, Offset = offset, Basis = ChangesCursor.Hour(waiting ?? (hasMore ? entries[^1].At : now)) };
        return new ChangesPage(LastOfEach(changes), cursor, hasMore);
    }

    private static EntityChange ChangeOf(ViewDocument doc) => doc.Kind switch
    {
        ViewKeys.MemberKind => EntityChange.Of(EntityChange.Member, KanbatteJson.Deserialize<Domain.Member>(doc.Json).UserId, doc, doc.Version),
        ViewKeys.TaskKind => EntityChange.Of(EntityChange.Task, doc.Id["task:".Length..], doc, doc.Version),
        ViewKeys.CommentKind => EntityChange.Of(EntityChange.Comment, doc.Id["comment:".Length..], doc, doc.Version),
        ViewKeys.FollowupKind => EntityChange.Of(EntityChange.Followup, doc.Id["followup:".Length..], doc, doc.Version),
        _ => throw new InvalidOperationException($"'{doc.Kind}' is not an entity of the changes feed."),
    };

    /// <summary>An entity changed several times in one page appears once, where it last changed, as it was then.</summary>
    private static List<EntityChange> LastOfEach(List<EntityChange> changes)
    {
        var last = new Dictionary<(string, string), int>();
        for (var i = 0; i < changes.Count; i++) last[(changes[i].Entity, changes[i].Id)] = i;
        return changes.Where((c, i) => last[(c.Entity, c.Id)] == i).ToList();
    }
}
