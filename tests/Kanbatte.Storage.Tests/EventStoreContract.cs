using System.Text.Json;
using Kanbatte.Application;

namespace Kanbatte.Storage.Tests;

/// <summary>What every event store must do. Each implementation runs it through a subclass naming its factory.</summary>
public abstract class EventStoreContract(IStoreFactory factory) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-03-01T10:00:00.123Z");
    protected StoreUnderTest Store { get; private set; } = null!;
    protected IEventStore Events => Store.Events;

    public async Task InitializeAsync() => Store = await factory.CreateAsync();
    public async Task DisposeAsync() => await Store.DisposeAsync();

    protected static EventEnvelope Event(string stream, int version, string body = "x") =>
        new(stream, version, "task_updated", 1, JsonSerializer.SerializeToElement(new { title = body, n = version }),
            T0.AddSeconds(version), new EventMetadata($"corr-{version}", "cause"));

    [Fact]
    public async Task Appended_events_read_back_exactly()
    {
        var written = new[] { Event("task:AI-001", 1), Event("task:AI-001", 2, "ünïcödé \"quoted\"") };
        await Events.AppendAsync("task:AI-001", 0, written);

        var read = await Events.ReadStreamAsync("task:AI-001", 1);

        Assert.Equal(2, read.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(written[i].StreamId, read[i].StreamId);
            Assert.Equal(written[i].Version, read[i].Version);
            Assert.Equal(written[i].Type, read[i].Type);
            Assert.Equal(written[i].SchemaVersion, read[i].SchemaVersion);
            Assert.Equal(written[i].Data.GetRawText(), read[i].Data.GetRawText());
            Assert.Equal(written[i].RecordedAt, read[i].RecordedAt);
            Assert.Equal(written[i].Metadata, read[i].Metadata);
        }
    }

    [Fact]
    public async Task Reads_from_a_version_and_up_to_a_count()
    {
        await Events.AppendAsync("task:AI-001", 0, [Event("task:AI-001", 1), Event("task:AI-001", 2), Event("task:AI-001", 3)]);
        await Events.AppendAsync("task:AI-002", 0, [Event("task:AI-002", 1)]);

        Assert.Equal([2, 3], (await Events.ReadStreamAsync("task:AI-001", 2)).Select(e => e.Version));
        Assert.Equal([1, 2], (await Events.ReadStreamAsync("task:AI-001", 1, 2)).Select(e => e.Version));
        Assert.Empty(await Events.ReadStreamAsync("task:AI-001", 4));
        Assert.Empty(await Events.ReadStreamAsync("task:AI-404", 1));
    }

    [Fact]
    public async Task Appending_at_a_stale_version_is_a_conflict_and_writes_nothing()
    {
        await Events.AppendAsync("task:AI-001", 0, [Event("task:AI-001", 1, "first")]);

        var e = await Assert.ThrowsAsync<ConcurrencyException>(() => Events.AppendAsync("task:AI-001", 0, [Event("task:AI-001", 1, "second")]));

        Assert.Equal("task:AI-001", e.StreamId);
        var read = await Events.ReadStreamAsync("task:AI-001", 1);
        Assert.Single(read);
        Assert.Contains("first", read[0].Data.GetRawText());
    }

    [Fact]
    public async Task Appending_ahead_of_the_stream_is_a_conflict_and_leaves_no_gap()
    {
        await Events.AppendAsync("task:AI-001", 0, [Event("task:AI-001", 1)]);

        await Assert.ThrowsAsync<ConcurrencyException>(() => Events.AppendAsync("task:AI-001", 2, [Event("task:AI-001", 3)]));
        await Assert.ThrowsAsync<ConcurrencyException>(() => Events.AppendAsync("task:AI-009", 1, [Event("task:AI-009", 2)]));

        Assert.Equal([1], (await Events.ReadStreamAsync("task:AI-001", 1)).Select(e => e.Version));
        Assert.Empty(await Events.ReadStreamAsync("task:AI-009", 1));
    }

    [Fact]
    public async Task After_the_stream_was_read_a_stale_append_still_conflicts_and_one_ahead_is_still_refused()
    {
        // A store may remember the versions it has seen (Cosmos DB does, to skip the predecessor read): never at the price of a lost or gapped write.
        await Events.AppendAsync("task:AI-001", 0, [Event("task:AI-001", 1)]);
        await Events.AppendAsync("task:AI-001", 1, [Event("task:AI-001", 2)]);
        Assert.Equal(2, (await Events.ReadStreamAsync("task:AI-001", 1)).Count);

        await Assert.ThrowsAsync<ConcurrencyException>(() => Events.AppendAsync("task:AI-001", 1, [Event("task:AI-001", 2, "stale")]));
        await Assert.ThrowsAsync<ConcurrencyException>(() => Events.AppendAsync("task:AI-001", 3, [Event("task:AI-001", 4)]));
        await Events.AppendAsync("task:AI-001", 2, [Event("task:AI-001", 3)]);

        var read = await Events.ReadStreamAsync("task:AI-001", 1);
        Assert.Equal([1, 2, 3], read.Select(e => e.Version));
        Assert.DoesNotContain(read, e => e.Data.GetRawText().Contains("stale"));
    }

    [Fact]
    public async Task Versions_must_follow_the_expected_version()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Events.AppendAsync("task:AI-001", 0, [Event("task:AI-001", 2)]));
        await Assert.ThrowsAsync<ArgumentException>(() => Events.AppendAsync("task:AI-001", 0, [Event("task:AI-002", 1)]));
        await Assert.ThrowsAsync<ArgumentException>(() => Events.AppendAsync("task:AI-001", 0, []));
        Assert.Empty(await Events.ReadStreamAsync("task:AI-001", 1));
    }

    [Fact]
    public async Task Of_racing_writers_at_one_version_exactly_one_wins()
    {
        await Events.AppendAsync("task:AI-001", 0, [Event("task:AI-001", 1)]);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            try
            {
                await Events.AppendAsync("task:AI-001", 1, [Event("task:AI-001", 2, $"writer-{i}")]);
                return true;
            }
            catch (ConcurrencyException)
            {
                return false;
            }
        }));

        Assert.Equal(1, outcomes.Count(won => won));
        Assert.Equal([1, 2], (await Events.ReadStreamAsync("task:AI-001", 1)).Select(e => e.Version));
    }

    /// <summary>
    /// Events of two projects' streams, each appended one after the other with a later recorded time (the order both
    /// stores read a project in), then made readable by project.
    /// </summary>
    private async Task<List<EventEnvelope>> AppendProjectsAsync()
    {
        string[] streams = ["project:AI", "task:AI-001", "task:WEB-001", "task:AI-002", "task:AI-001", "project:AI", "task:AI-003", "task:AI-002", "task:WEB-001", "task:AI-001"];
        var versions = new Dictionary<string, int>();
        var appended = new List<EventEnvelope>();
        for (var i = 0; i < streams.Length; i++)
        {
            var version = versions[streams[i]] = versions.GetValueOrDefault(streams[i]) + 1;
            var e = new EventEnvelope(streams[i], version, "task_updated", 1, JsonSerializer.SerializeToElement(new { title = $"e{i}" }),
                T0.AddSeconds(i), new EventMetadata($"corr-{i}", "cause"));
            await Events.AppendAsync(streams[i], version - 1, [e]);
            appended.Add(e);
        }
        await Store.CopyToProjectLog(appended);
        return appended;
    }

    private static string Key(EventEnvelope e) => $"{e.StreamId}@{e.Version}";

    [Fact]
    public async Task A_projects_events_page_newest_first_and_each_page_continues_the_last()
    {
        var appended = await AppendProjectsAsync();

        var read = new List<EventEnvelope>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = await Events.ReadProjectAsync("AI", newestFirst: true, after, until: null, maxCount: 3);
            Assert.InRange(page.Events.Count, 1, 3);
            read.AddRange(page.Events);
            after = page.Next;
            pages++;
        } while (after is not null);

        var expected = appended.Where(e => e.ProjectKey == "AI").Reverse().ToList();
        Assert.Equal(expected.Select(Key), read.Select(Key));
        Assert.Equal(3, pages); // 8 events: 3 + 3 + 2, and the last page says there is no next
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Data.GetRawText(), read[i].Data.GetRawText());
            Assert.Equal((expected[i].Type, expected[i].RecordedAt, expected[i].Metadata), (read[i].Type, read[i].RecordedAt, read[i].Metadata));
        }
        var exact = await Events.ReadProjectAsync("WEB", newestFirst: true, null, null, 2);
        Assert.Equal(["task:WEB-001@2", "task:WEB-001@1"], exact.Events.Select(Key));
        Assert.Null(exact.Next);
        Assert.Empty((await Events.ReadProjectAsync("NONE", newestFirst: true, null, null, 10)).Events);
    }

    [Fact]
    public async Task A_projects_events_after_a_position_up_to_a_time_oldest_first()
    {
        var appended = await AppendProjectsAsync();
        var ai = appended.Where(e => e.ProjectKey == "AI").ToList();

        var first = await Events.ReadProjectAsync("AI", newestFirst: false, null, until: null, maxCount: 3);
        Assert.Equal(ai.Take(3).Select(Key), first.Events.Select(Key));
        Assert.NotNull(first.Next);

        // After that page's position, up to the 6th event's time (inclusive, to the millisecond): events 4 to 6, in one page.
        var upTo = await Events.ReadProjectAsync("AI", newestFirst: false, first.Next, until: ai[5].RecordedAt, maxCount: 10);
        Assert.Equal(ai.Skip(3).Take(3).Select(Key), upTo.Events.Select(Key));
        Assert.Null(upTo.Next);

        // A millisecond before the 6th event leaves it out; a time before everything reads nothing.
        var before = await Events.ReadProjectAsync("AI", newestFirst: false, first.Next, until: ai[5].RecordedAt.AddMilliseconds(-1), maxCount: 10);
        Assert.Equal(ai.Skip(3).Take(2).Select(Key), before.Events.Select(Key));
        Assert.Empty((await Events.ReadProjectAsync("AI", newestFirst: false, null, until: T0.AddSeconds(-1), maxCount: 10)).Events);

        // Paging with a time bound: the bound holds on every page.
        var paged = new List<EventEnvelope>();
        string? after = null;
        do
        {
            var page = await Events.ReadProjectAsync("AI", newestFirst: false, after, until: ai[6].RecordedAt, maxCount: 2);
            paged.AddRange(page.Events);
            after = page.Next;
        } while (after is not null);
        Assert.Equal(ai.Take(7).Select(Key), paged.Select(Key));
    }

    [Fact]
    public async Task Counters_hand_out_unique_numbers_under_concurrency()
    {
        var numbers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Store.Counters.NextAsync("AI", "task")));

        Assert.Equal(Enumerable.Range(1, 50), numbers.Order());
        Assert.Equal(1, await Store.Counters.NextAsync("AI", "comment"));
        Assert.Equal(1, await Store.Counters.NextAsync("WEB", "task"));
        Assert.Equal(51, await Store.Counters.NextAsync("AI", "task"));
    }
}

internal static class EventStoreContractEvents
{
    public static EventEnvelope Of(string stream, int version) =>
        new(stream, version, "task_updated", 1, JsonSerializer.SerializeToElement(new { n = version }),
            DateTimeOffset.Parse("2026-03-01T10:00:00Z"), new EventMetadata("c"));
}
