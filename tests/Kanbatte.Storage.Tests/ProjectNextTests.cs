using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;
using Kanbatte.Testing.RoundTrips;

namespace Kanbatte.Storage.Tests;

/// <summary>
/// The inline projection projects events right after the view's checkpoint, in the transaction that appends them
/// (<see cref="Projector.ProjectNextAsync"/>): a stream that starts there has no document to read. Events delivered any
/// other way (the feed, a redelivery) are read against the view as before.
/// </summary>
public sealed class ProjectNextTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-07T03:00:00.000Z");
    private static readonly EventMetadata Meta = new("next-test");
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-next-");

    [Fact]
    public async Task A_new_stream_projected_next_costs_no_view_read_and_comes_out_as_the_feed_would_make_it()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "k.db") });
        var events = new SqliteEventStore(db);
        var view = new SqliteViewStore(db);
        var counter = new RoundTripCounter();
        var projector = new Projector(new CountingViewStore(view, counter), events);

        var created = await AppendAsync(events, "task:NX-001", 0,
            new TaskCreated("NX-001", "NX", 1, "New", "", Statuses.Todo, Priorities.None, null, [], null, Ranks.Bottom(T0)));
        await projector.ProjectNextAsync(created);
        Assert.False(counter.Snapshot().ContainsKey("view.get"));
        var (partition, id) = ViewKeys.Task("NX", "NX-001");
        var doc = await view.GetAsync(partition, id);
        Assert.Equal(1, doc?.Version);

        // The same events delivered again (as the feed would after a crash) are read against the view, and change nothing.
        counter.Reset();
        await projector.ProjectAsync(created);
        Assert.Equal(1, counter.Snapshot()["view.get"]);
        Assert.Equal(doc!.Json, (await view.GetAsync(partition, id))!.Json);

        // A stream that existed before the batch is read, projected next or not.
        counter.Reset();
        var renamed = await AppendAsync(events, "task:NX-001", 1, new TaskUpdated(Title: "Renamed"));
        await projector.ProjectNextAsync(renamed);
        Assert.Equal(1, counter.Snapshot()["view.get"]);
        Assert.Equal(2, (await view.GetAsync(partition, id))?.Version);

        // What the feed projection makes of the whole log is the same document.
        using var other = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "feed.db") });
        var otherView = new SqliteViewStore(other);
        await new Projector(otherView, events).ProjectAsync(await events.ReadStreamAsync("task:NX-001", 1));
        Assert.Equal((await otherView.GetAsync(partition, id))!.Json, (await view.GetAsync(partition, id))!.Json);
    }

    [Fact]
    public async Task A_task_whose_state_before_the_batch_is_known_costs_no_view_read_and_a_state_at_another_version_is_not_used()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "k.db") });
        var events = new SqliteEventStore(db);
        var view = new SqliteViewStore(db);
        var counter = new RoundTripCounter();
        var projector = new Projector(new CountingViewStore(view, counter), events);
        using var states = new StreamStateCache();
        const string stream = "task:NX-001";

        var history = new List<EventEnvelope>();
        async Task<IReadOnlyList<EventEnvelope>> Next(IDomainEvent e)
        {
            var appended = await AppendAsync(events, stream, history.Count, e);
            history.AddRange(appended);
            return appended;
        }
        void Known() => states.Set(stream, StreamFolds.Task.Fold(history), StreamFolds.Task, states.Ticket(stream));

        await projector.ProjectNextAsync(await Next(
            new TaskCreated("NX-001", "NX", 1, "New", "", Statuses.Todo, Priorities.None, null, [], null, Ranks.Bottom(T0))), states);
        await projector.ProjectNextAsync(await Next(new CommentAdded("c1", 1, "First", "Ann")), states);
        Known();

        // Known at the version the view holds: an edit of the comment reads neither the task nor the comment.
        counter.Reset();
        await projector.ProjectNextAsync(await Next(new CommentEdited("c1", "First, edited")), states);
        Assert.False(counter.Snapshot().ContainsKey("view.get"));

        // The cache now holds a state a version behind the view: it is not used, and the view is read as before.
        counter.Reset();
        await projector.ProjectNextAsync(await Next(new TaskUpdated(Title: "Renamed")), states);
        Assert.Equal(1, counter.Snapshot()["view.get"]);

        // Each way, the documents are what the feed projection makes of the whole log.
        using var other = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "feed.db") });
        var otherView = new SqliteViewStore(other);
        await new Projector(otherView, events).ProjectAsync(await events.ReadStreamAsync(stream, 1));
        string[] kinds = [ViewKeys.TaskKind, ViewKeys.CommentKind];
        var expected = (await otherView.ListByIdAsync("NX", kinds, null, 10)).Select(d => (d.Id, d.Version, d.Json)).ToList();
        Assert.Equal(2, expected.Count);
        Assert.Contains("First, edited", expected.Single(d => d.Id == "comment:c1").Json);
        Assert.Equal(expected, (await view.ListByIdAsync("NX", kinds, null, 10)).Select(d => (d.Id, d.Version, d.Json)).ToList());
    }

    private static async Task<IReadOnlyList<EventEnvelope>> AppendAsync(SqliteEventStore events, string stream, int version, IDomainEvent e)
    {
        var envelope = EventCodec.Encode(stream, version + 1, e, T0, Meta);
        var position = await events.AppendAsync(stream, version, [envelope]);
        return [envelope with { Position = position }];
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
