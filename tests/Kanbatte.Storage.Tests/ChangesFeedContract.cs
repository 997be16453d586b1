using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Testing.RoundTrips;

namespace Kanbatte.Storage.Tests;

/// <summary>
/// The changes feed's promise, on every store: a client that pulls from no cursor and then keeps pulling with the cursors
/// it gets, applying each change in order, ends with exactly the view (every entity, same version, same document,
/// nothing extra), whatever writes happen between and during its pulls. Writers here make generated concurrent changes
/// of every kind; two projector instances, each on its own lease, project them late, in batches of any size, some
/// twice (<see cref="LeasedDelivery"/>), so the view lags the log and both instances append to one project's journal.
/// </summary>
public abstract class ChangesFeedContract(IStoreFactory factory) : IAsyncLifetime
{
    private static readonly EventMetadata Meta = new("changes-feed");
    private StoreUnderTest _store = null!;

    public async Task InitializeAsync() => _store = await factory.CreateAsync();
    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task A_client_that_keeps_pulling_ends_with_exactly_the_view(int seed)
    {
        var delivery = new LeasedDelivery(_store.Events);
        var pipeline = new WritePipeline(delivery, TimeProvider.System);
        var commands = new KanbatteCommands(pipeline, new ProjectAccess(pipeline), _store.Counters, _store.View, TimeProvider.System);
        var feed = new ChangesFeed(_store.View, _store.Changes, new ChangesOptions(), TimeProvider.System);
        var key = "CV" + seed;
        await commands.CreateProjectAsync(new CreateProject(key, "Convergence", null, null), Meta);

        using var stop = new CancellationTokenSource();
        var projectors = Enumerable.Range(0, LeasedDelivery.Leases)
            .Select(lease => Task.Run(() => delivery.RunAsync(lease, new Projector(_store.View, _store.Events, _store.Changes), new Random(seed * 10 + lease), stop.Token)))
            .ToList();
        // On threads of their own: a store whose calls complete at once (SQLite) would otherwise run each writer to its end first.
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(() => new Writer(commands, key, new Random(seed * 100 + w)).RunAsync(40))).ToList();

        // Clients pulling while all that happens: each starts with a first pull in small pages (some start late, so their
        // listing runs through the writes), then pulls again and again with its cursor.
        var random = new Random(seed);
        var clients = new List<Client> { new(feed, key) };
        var pulls = 0;
        while (!Task.WhenAll(writers).IsCompleted)
        {
            if (clients.Count < 8 && random.Next(6) == 0) clients.Add(new Client(feed, key));
            await clients[random.Next(clients.Count)].PullAsync(random.Next(1, 6));
            pulls++;
        }
        await Task.WhenAll(writers);
        stop.Cancel();
        await Task.WhenAll(projectors);
        Assert.True(delivery.Drained);

        var view = await SyncReplica.ViewOfAsync(_store.View, key);
        Assert.True(view.Count > 20, $"only {view.Count} entities were made");
        Assert.True(pulls > 20 && clients.Count > 2, $"only {pulls} pulls by {clients.Count} clients ran during the writes");
        for (var i = 0; i < clients.Count; i++)
        {
            while (await clients[i].PullAsync(random.Next(1, 12))) { }
            var differences = clients[i].Replica.Differences(view);
            Assert.True(differences.Count == 0, $"seed {seed}, client {i} of {clients.Count}, {pulls} pulls: {string.Join("; ", differences)}");
        }

        // And a client that starts only now gets there too, in pages of one.
        var late = new Client(feed, key);
        while (await late.PullAsync(1)) { }
        Assert.Empty(late.Replica.Differences(view));
    }

    /// <summary>
    /// A projector that stopped after writing the view but before the journal heard of it (a crash, a lost connection):
    /// the batch comes again, the view has it already, and the entities are told then, as they are.
    /// </summary>
    [Fact]
    public async Task A_batch_delivered_again_after_a_stop_before_the_journal_tells_what_it_wrote()
    {
        var pipeline = new WritePipeline(_store.Events, TimeProvider.System);
        var commands = new KanbatteCommands(pipeline, new ProjectAccess(pipeline), _store.Counters, _store.View, TimeProvider.System);
        var feed = new ChangesFeed(_store.View, _store.Changes, new ChangesOptions(), TimeProvider.System);
        var projector = new Projector(_store.View, _store.Events, _store.Changes);
        await commands.CreateProjectAsync(new CreateProject("RD", "Redelivery", null, null), Meta);
        var task = await commands.CreateTaskAsync("RD", new CreateTask("Told", null, null), Meta);
        var comment = await commands.AddCommentAsync(task.Id, new AddComment("Also told"), Meta);
        await commands.SetMemberAsync(Kanbatte.Testing.TestUsers.Owner, "RD", "rd|bo", () => (ProjectRoles.Member, "Bo"), Meta);
        var log = (await _store.Events.ReadStreamAsync("project:RD", 1)).Concat(await _store.Events.ReadStreamAsync("task:" + task.Id, 1)).ToList();

        var stopping = new Projector(_store.View, _store.Events, new StopsBeforeAppending(_store.Changes));
        await Assert.ThrowsAsync<IOException>(() => stopping.ProjectAsync(log));
        Assert.NotNull(await _store.View.GetAsync(ViewKeys.Comment("RD", comment.Id).Partition, ViewKeys.Comment("RD", comment.Id).Id));
        Assert.Equal(0, await _store.Changes.HeadAsync("RD"));

        var changed = await projector.ProjectAsync(log); // delivered again
        Assert.Equal("RD", Assert.Single(changed).ProjectKey);
        var fresh = new Client(feed, "RD");
        while (await fresh.PullAsync(100)) { }
        var told = (await _store.Changes.ReadAsync("RD", 0, 10)).SelectMany(e => e.Changes).Select(c => $"{c.Entity} {c.Id}").Order().ToList();
        Assert.Equal(["comment " + comment.Id, "member rd|bo", "member test-owner", "project RD", "task " + task.Id], told);
        Assert.Empty(fresh.Replica.Differences(await SyncReplica.ViewOfAsync(_store.View, "RD")));
    }

    /// <summary>
    /// On Cosmos DB a read may come from a replica a moment behind another instance's projector, which wrote the view before
    /// the journal entry the head counts. A first pull therefore fences the project's documents after it has read the
    /// head and before every page it lists (see <see cref="IViewStore.FenceProjectAsync"/>), and a later pull, which reads
    /// only the journal, needs none.
    /// </summary>
    [Fact]
    public async Task A_first_pull_fences_the_view_after_reading_the_head_and_before_each_page_it_lists()
    {
        var pipeline = new WritePipeline(_store.Events, TimeProvider.System);
        var commands = new KanbatteCommands(pipeline, new ProjectAccess(pipeline), _store.Counters, _store.View, TimeProvider.System);
        var projector = new Projector(_store.View, _store.Events, _store.Changes);
        await commands.CreateProjectAsync(new CreateProject("FN", "Fenced", null, null), Meta);
        var log = (await _store.Events.ReadStreamAsync("project:FN", 1)).ToList();
        for (var i = 0; i < 3; i++)
        {
            var task = await commands.CreateTaskAsync("FN", new CreateTask($"Task {i}", null, null), Meta);
            log.AddRange(await _store.Events.ReadStreamAsync("task:" + task.Id, 1));
        }
        await projector.ProjectAsync(log);
        var calls = new RoundTripCounter();
        var feed = new ChangesFeed(new CountingViewStore(_store.View, calls),
            new CountingChangeJournal(_store.Changes, calls), new ChangesOptions(), TimeProvider.System);

        var first = await feed.PullAsync("FN", null, 2);
        Assert.True(first.HasMore);
        Assert.Equal(["journal.epoch", "journal.head", "view.fence", "view.get", "view.query"], calls.Calls);

        calls.Reset();
        var second = await feed.PullAsync("FN", first.Cursor, 10);
        Assert.Equal(["journal.epoch", "view.fence", "view.query", "journal.head"], calls.Calls);

        calls.Reset();
        await feed.PullAsync("FN", second.Cursor, 10);
        Assert.DoesNotContain("view.fence", calls.Calls);
    }

    /// <summary>
    /// A cursor is good for the retention from the oldest journal entry it still needs (or from when it was issued, when
    /// it needs none yet); after that it is gone, even if it was issued later: that entry may be dropped by then.
    /// </summary>
    [Fact]
    public async Task A_cursor_older_than_the_retention_is_gone()
    {
        var t0 = DateTimeOffset.Parse("2026-06-01T08:00:00Z");
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(t0);
        var pipeline = new WritePipeline(_store.Events, clock);
        var commands = new KanbatteCommands(pipeline, new ProjectAccess(pipeline), _store.Counters, _store.View, clock);
        var projector = new Projector(_store.View, _store.Events, _store.Changes, clock);
        var feed = new ChangesFeed(_store.View, _store.Changes, new ChangesOptions { RetentionDays = 30 }, clock);
        await commands.CreateProjectAsync(new CreateProject("EX", "Expiry", null, null), Meta);
        await projector.ProjectAsync(await _store.Events.ReadStreamAsync("project:EX", 1));
        var caughtUp = await feed.PullAsync("EX", null, 100);
        Assert.False(caughtUp.HasMore);

        foreach (var title in new[] { "a", "b", "c" })
        {
            var task = await commands.CreateTaskAsync("EX", new CreateTask(title, null, null), Meta);
            await projector.ProjectAsync(await _store.Events.ReadStreamAsync("task:" + task.Id, 1));
        }
        clock.Advance(TimeSpan.FromDays(20));
        var behind = await feed.PullAsync("EX", caughtUp.Cursor, 1); // one of three entries made 20 days ago
        Assert.True(behind.HasMore);
        clock.Advance(TimeSpan.FromDays(9));
        Assert.Single((await feed.PullAsync("EX", behind.Cursor, 1)).Changes); // 29 days after its oldest needed entry

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(2));
        await Assert.ThrowsAsync<ChangesExpiredException>(() => feed.PullAsync("EX", behind.Cursor, 1)); // issued 10 days ago, needs one from 30 days ago
        await Assert.ThrowsAsync<ChangesExpiredException>(() => feed.PullAsync("EX", caughtUp.Cursor, 1));
        var fresh = await feed.PullAsync("EX", null, 100);
        clock.Advance(TimeSpan.FromDays(29));
        Assert.Empty((await feed.PullAsync("EX", fresh.Cursor, 100)).Changes); // caught up 29 days ago, nothing since
    }

    /// <summary>TEST ONLY: a journal whose append fails, as if the process stopped right before it.</summary>
    private sealed class StopsBeforeAppending(IChangeJournal inner) : IChangeJournal
    {
        public Task<string> EpochAsync(CancellationToken ct = default) => inner.EpochAsync(ct);
        public Task<long> AppendAsync(string projectKey, IReadOnlyList<EntityChange> changes, DateTimeOffset at, CancellationToken ct = default) =>
            throw new IOException("stopped before the journal");
        public Task<long> HeadAsync(string projectKey, CancellationToken ct = default) => inner.HeadAsync(projectKey, ct);
        public Task<IReadOnlyList<JournalEntry>> ReadAsync(string projectKey, long afterSeq, int maxEntries, CancellationToken ct = default) => inner.ReadAsync(projectKey, afterSeq, maxEntries, ct);
        public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken ct = default) => inner.PurgeAsync(before, ct);
    }

    private sealed class Client(ChangesFeed feed, string key)
    {
        private ChangesCursor? _cursor;

        public SyncReplica Replica { get; } = new();

        /// <summary>One pull, applied; true when the feed says to pull again at once.</summary>
        public async Task<bool> PullAsync(int limit)
        {
            var page = await feed.PullAsync(key, _cursor, limit);
            foreach (var change in page.Changes) Replica.Apply(change);
            _cursor = page.Cursor;
            return page.HasMore;
        }
    }

    /// <summary>A writer making random changes of every kind the feed tells (followups too); refusals (a task archived meanwhile, a comment gone) are part of the game.</summary>
    private sealed class Writer(KanbatteCommands commands, string key, Random random)
    {
        private static readonly string[] Users = ["cv-ann", "cv|bo", "cv/cy", "cv-di"];
        private static readonly Caller Owner = Kanbatte.Testing.TestUsers.Owner;

        public async Task RunAsync(int steps)
        {
            var tasks = new List<string>();
            var comments = new List<(string Task, string Comment)>();
            var followups = new List<(string Task, string Followup)>();
            for (var i = 0; i < steps; i++)
            {
                if (random.Next(3) == 0) await Task.Delay(1); // pauses, so pulls fall between the writes too
                try
                {
                    switch (tasks.Count == 0 ? 0 : random.Next(13))
                    {
                        case 0 or 1:
                            tasks.Add((await commands.CreateTaskAsync(Owner, key, () => new CreateTask($"Task {i}", "d", Pick(Statuses.All), Pick(Priorities.All)), Meta)).Id);
                            break;
                        case 2:
                            await commands.ChangeTaskAsync(Owner, Pick(tasks), () => (new ChangeTask($"Renamed {i}", null, Pick(Statuses.All), Pick(Priorities.All)), null), Meta);
                            break;
                        case 3:
                            await commands.MoveTaskAsync(Owner, Pick(tasks), () => (Pick(Statuses.All), null, null, null), Meta);
                            break;
                        case 4:
                            await commands.ArchiveTaskAsync(Owner, Pick(tasks), archive: random.Next(2) == 0, () => null, Meta);
                            break;
                        case 5 or 6:
                            var task = Pick(tasks);
                            comments.Add((task, (await commands.AddCommentAsync(Owner, task, () => new AddComment($"Comment {i}"), Meta)).Id));
                            break;
                        case 7 when comments.Count > 0:
                            var (t, c) = Pick(comments);
                            await commands.EditCommentAsync(Owner, t, c, () => $"Edited {i}", Meta);
                            break;
                        case 8 when comments.Count > 0:
                            var deleted = Pick(comments);
                            comments.Remove(deleted);
                            await commands.DeleteCommentAsync(Owner, deleted.Task, deleted.Comment, () => { }, Meta);
                            break;
                        case 11:
                            var noted = Pick(tasks);
                            followups.Add((noted, (await commands.AddFollowupAsync(Owner, noted, () => new AddFollowup($"Followup {i}"), Meta)).Id));
                            break;
                        case 12 when followups.Count > 0:
                            var (ft, f) = Pick(followups);
                            await commands.UpdateFollowupAsync(Owner, ft, f, () => new ChangeFollowup(Pick(FollowupStatuses.All), null), Meta);
                            break;
                        case 9:
                            await commands.SetMemberAsync(Owner, key, Pick(Users), () => (Pick([ProjectRoles.Viewer, ProjectRoles.Member]), null), Meta);
                            break;
                        default:
                            await commands.RemoveMemberAsync(Owner, key, Pick(Users), () => { }, Meta);
                            break;
                    }
                }
                catch (DomainException)
                {
                    // Another writer got there first (a removed member, a deleted comment, an archived task).
                }
            }
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
    }
}
