using System.Text.Json;
using Kanbatte.Application;

namespace Kanbatte.Storage.Tests;

/// <summary>What every changes journal must do: number each project's entries 1, 2, 3 ... and read them back in order without a gap.</summary>
public abstract class ChangeJournalContract(IStoreFactory factory) : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-03-01T10:00:00.123Z");
    protected StoreUnderTest Store { get; private set; } = null!;
    protected IChangeJournal Journal => Store.Changes;

    public async Task InitializeAsync() => Store = await factory.CreateAsync();
    public async Task DisposeAsync() => await Store.DisposeAsync();

    protected static EntityChange TaskChange(string id, int version) =>
        new(EntityChange.Task, id, EntityChange.Upsert, version, JsonSerializer.SerializeToElement(new { id, version, title = "ünïcödé \"quoted\"" }));

    protected static EntityChange Deleted(string id, int version) => new(EntityChange.Comment, id, EntityChange.Delete, version, null);

    [Fact]
    public async Task Entries_are_numbered_per_project_and_read_back_exactly()
    {
        Assert.Equal(0, await Journal.HeadAsync("AI"));
        Assert.Equal(1, await Journal.AppendAsync("AI", [TaskChange("AI-001", 1), Deleted("CM-1", 3)], T0));
        Assert.Equal(1, await Journal.AppendAsync("WEB", [TaskChange("WEB-001", 1)], T0));
        Assert.Equal(2, await Journal.AppendAsync("AI", [TaskChange("AI-002", 1)], T0.AddSeconds(1)));

        Assert.Equal((2, 1), (await Journal.HeadAsync("AI"), await Journal.HeadAsync("WEB")));
        var read = await Journal.ReadAsync("AI", 0, 10);
        Assert.Equal([1L, 2L], read.Select(e => e.Seq));
        Assert.Equal([T0, T0.AddSeconds(1)], read.Select(e => e.At));
        var first = read[0].Changes;
        Assert.Equal(2, first.Count);
        Assert.Equal((EntityChange.Task, "AI-001", EntityChange.Upsert, 1), (first[0].Entity, first[0].Id, first[0].Op, first[0].Version));
        // The same JSON (a store may escape its strings otherwise).
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse(TaskChange("AI-001", 1).Data!.Value.GetRawText()), System.Text.Json.Nodes.JsonNode.Parse(first[0].Data!.Value.GetRawText())));
        Assert.Equal((EntityChange.Comment, "CM-1", EntityChange.Delete, 3), (first[1].Entity, first[1].Id, first[1].Op, first[1].Version));
        Assert.Null(first[1].Data);
    }

    [Fact]
    public async Task Reads_start_after_the_number_given_and_stop_at_the_limit()
    {
        for (var i = 1; i <= 7; i++) await Journal.AppendAsync("AI", [TaskChange($"AI-{i:D3}", i)], T0);

        Assert.Equal([3L, 4L, 5L], (await Journal.ReadAsync("AI", 2, 3)).Select(e => e.Seq));
        Assert.Equal([6L, 7L], (await Journal.ReadAsync("AI", 5, 10)).Select(e => e.Seq));
        Assert.Empty(await Journal.ReadAsync("AI", 7, 10));
        Assert.Empty(await Journal.ReadAsync("OPS", 0, 10));
    }

    [Fact]
    public async Task Concurrent_writers_get_every_number_once_and_readers_see_no_gap()
    {
        await Task.WhenAll(Enumerable.Range(1, 40).Select(i => Journal.AppendAsync("AI", [TaskChange($"AI-{i:D3}", 1)], T0)));

        var read = await Journal.ReadAsync("AI", 0, 100);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), read.Select(e => e.Seq));
        Assert.Equal(40, read.SelectMany(e => e.Changes).Select(c => c.Id).Distinct().Count());
        Assert.Equal(40, await Journal.HeadAsync("AI"));
    }

    [Fact]
    public async Task The_epoch_stays_the_same_until_the_view_is_rebuilt()
    {
        var epoch = await Journal.EpochAsync();
        Assert.False(string.IsNullOrEmpty(epoch));
        await Journal.AppendAsync("AI", [TaskChange("AI-001", 1)], T0);
        Assert.Equal(epoch, await Journal.EpochAsync());
    }
}
