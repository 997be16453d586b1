using System.Text.Json;
using Kanbatte.Application;

namespace Kanbatte.Storage.Tests;

/// <summary>What every dead-letter store must do: keep parked events whole, count re-parks, list in order, remove.</summary>
public abstract class DeadLetterStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-03-01T10:00:00.123Z");
    private (IDeadLetterStore Store, IAsyncDisposable Owner) _store;
    private IDeadLetterStore Store => _store.Store;

    protected abstract Task<(IDeadLetterStore, IAsyncDisposable)> CreateAsync();

    public async Task InitializeAsync() => _store = await CreateAsync();
    public async Task DisposeAsync() => await _store.Owner.DisposeAsync();

    private static EventEnvelope Event(string stream, int version) =>
        new(stream, version, "task_updated", 1, JsonSerializer.SerializeToElement(new { title = "ünï \"q\"", n = version }), T0.AddSeconds(version), new EventMetadata($"c{version}", "cause"));

    [Fact]
    public async Task Parked_events_list_whole_in_stream_and_version_order()
    {
        await Store.ParkAsync(Event("task:AI-002", 1), "boom 2", T0);
        await Store.ParkAsync(Event("task:AI-001", 3), "boom 1.3", T0.AddMinutes(1));
        await Store.ParkAsync(Event("task:AI-001", 2), "boom 1.2", T0.AddMinutes(2));

        var parked = await Store.ListAsync(10);

        Assert.Equal([("task:AI-001", 2), ("task:AI-001", 3), ("task:AI-002", 1)], parked.Select(p => (p.Event.StreamId, p.Event.Version)));
        var first = parked[0];
        var written = Event("task:AI-001", 2);
        Assert.Equal((written.Type, written.SchemaVersion, written.RecordedAt, written.Metadata), (first.Event.Type, first.Event.SchemaVersion, first.Event.RecordedAt, first.Event.Metadata));
        Assert.Equal(written.Data.GetRawText(), JsonSerializer.SerializeToElement(first.Event.Data, KanbatteJson.Options).GetRawText());
        Assert.Equal(("boom 1.2", T0.AddMinutes(2), 1), (first.Error, first.ParkedAt, first.Attempts));
        Assert.Equal(2, (await Store.ListAsync(2)).Count);
    }

    [Fact]
    public async Task Pages_continue_after_the_key_given_in_stream_and_version_order()
    {
        var parked = new[] { ("task:AI-002", 1), ("task:AI-001", 10), ("project:AI", 3), ("task:AI-001", 2), ("task:AI-010", 1), ("task:AI-001", 9) };
        foreach (var (stream, version) in parked) await Store.ParkAsync(Event(stream, version), "boom", T0);
        var expected = parked.OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2).ToList();

        var seen = new List<(string, int)>();
        DeadLetterKey? after = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await Store.ListAsync(2, after);
            Assert.True(page.Count <= 2);
            if (page.Count == 0) break;
            seen.AddRange(page.Select(p => (p.Event.StreamId, p.Event.Version)));
            after = new DeadLetterKey(page[^1].Event.StreamId, page[^1].Event.Version);
        }

        Assert.Equal(expected, seen);
        // A position between parked events (or past one that was removed) continues with the next one.
        Assert.Equal([("task:AI-001", 9), ("task:AI-001", 10)],
            (await Store.ListAsync(2, new DeadLetterKey("task:AI-001", 5))).Select(p => (p.Event.StreamId, p.Event.Version)));
        Assert.Equal([("task:AI-002", 1)], (await Store.ListAsync(1, new DeadLetterKey("task:AI-001", 99))).Select(p => (p.Event.StreamId, p.Event.Version)));
        Assert.Empty(await Store.ListAsync(5, new DeadLetterKey("task:AI-010", 1)));
    }

    [Fact]
    public async Task Parking_again_counts_the_attempt_and_keeps_the_latest_error()
    {
        await Store.ParkAsync(Event("task:AI-001", 1), "first", T0);
        await Store.ParkAsync(Event("task:AI-001", 1), "second", T0.AddMinutes(5));

        var parked = Assert.Single(await Store.ListAsync(10));
        Assert.Equal(("second", 2, T0.AddMinutes(5)), (parked.Error, parked.Attempts, parked.ParkedAt));
    }

    [Fact]
    public async Task Removed_events_leave_the_parked_set()
    {
        await Store.ParkAsync(Event("task:AI-001", 1), "x", T0);
        await Store.ParkAsync(Event("task:AI-001", 2), "x", T0);

        await Store.RemoveAsync("task:AI-001", 1);
        await Store.RemoveAsync("task:AI-404", 9); // not there: not an error

        Assert.Equal([2], (await Store.ListAsync(10)).Select(p => p.Event.Version));
    }

    [Fact]
    public async Task The_count_is_the_number_of_parked_events()
    {
        Assert.Equal(0, await Store.CountAsync());
        await Store.ParkAsync(Event("task:AI-001", 1), "x", T0);
        await Store.ParkAsync(Event("task:AI-001", 1), "again", T0); // a re-park is still one event
        await Store.ParkAsync(Event("task:AI-002", 4), "x", T0);
        Assert.Equal(2, await Store.CountAsync());

        await Store.RemoveAsync("task:AI-001", 1);
        Assert.Equal(1, await Store.CountAsync());
    }
}
