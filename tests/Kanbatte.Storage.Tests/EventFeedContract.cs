namespace Kanbatte.Storage.Tests;

/// <summary>Stores that keep their own ordered feed of all events (the self-hosted path) with a durable checkpoint.</summary>
public abstract class EventFeedContract(IStoreFactory factory) : IAsyncLifetime
{
    protected StoreUnderTest Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await factory.CreateAsync();
    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task The_feed_returns_all_events_in_append_order_from_a_position()
    {
        var order = new List<(string, int)>();
        foreach (var (stream, version) in new[] { ("task:AI-001", 1), ("project:AI", 1), ("task:AI-001", 2), ("task:AI-002", 1), ("project:AI", 2) })
        {
            await Store.Events.AppendAsync(stream, version - 1, [EventStoreContractEvents.Of(stream, version)]);
            order.Add((stream, version));
        }

        var all = await Store.Feed!.ReadAllAsync(0, 100);
        Assert.Equal(order, all.Select(e => (e.StreamId, e.Version)));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Position < p.Second.Position));

        var rest = await Store.Feed.ReadAllAsync(all[1].Position, 2);
        Assert.Equal(order.Skip(2).Take(2), rest.Select(e => (e.StreamId, e.Version)));
        Assert.Empty(await Store.Feed.ReadAllAsync(all[^1].Position, 10));
    }

    [Fact]
    public async Task Checkpoints_resume_where_they_were_saved()
    {
        Assert.Equal(0, await Store.Checkpoints!.GetAsync("view"));
        await Store.Checkpoints.SaveAsync("view", 41);
        await Store.Checkpoints.SaveAsync("view", 42);
        await Store.Checkpoints.SaveAsync("other", 7);
        Assert.Equal(42, await Store.Checkpoints.GetAsync("view"));
        Assert.Equal(7, await Store.Checkpoints.GetAsync("other"));
    }
}
