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
