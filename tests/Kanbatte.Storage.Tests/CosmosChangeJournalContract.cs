using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;
using Kanbatte.Tests.Cosmos;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Time.Testing;

namespace Kanbatte.Storage.Tests;

// The store contract suite against the Cosmos DB store, over the Cosmos-protocol test server (tests/cosmos-server).
public sealed class CosmosChangeJournalContract() : ChangeJournalContract(new CosmosStoreFactory())
{
    /// <summary>
    /// A writer that took a number and died before creating its entry: readers wait for it while the entries after it are
    /// young, then fill it and go on; a writer whose number was filled meanwhile takes another.
    /// </summary>
    [Fact]
    public async Task A_number_left_behind_stops_readers_until_the_grace_passes_then_is_filled()
    {
        var (journal, containers, clock) = await JournalWithClockAsync();
        await journal.AppendAsync("AI", [TaskChange("AI-001", 1)], clock.GetUtcNow());
        await TakeNumberAsync(containers, "AI"); // number 2: its writer never comes back
        await journal.AppendAsync("AI", [TaskChange("AI-003", 1)], clock.GetUtcNow());

        Assert.Equal([1L], (await journal.ReadAsync("AI", 0, 10)).Select(e => e.Seq));
        Assert.Empty(await journal.ReadAsync("AI", 1, 10));

        clock.Advance(CosmosChangeJournal.Grace + TimeSpan.FromSeconds(1));
        var read = await journal.ReadAsync("AI", 1, 10);
        Assert.Equal([2L, 3L], read.Select(e => e.Seq));
        Assert.Empty(read[0].Changes); // the filler
        Assert.Equal("AI-003", Assert.Single(read[1].Changes).Id);

        // A slow writer's number filled before it wrote: it takes the next one, and its entry is not lost.
        await TakeNumberAsync(containers, "AI"); // 4, taken by the slow writer
        await journal.AppendAsync("AI", [TaskChange("AI-005", 1)], clock.GetUtcNow()); // 5
        clock.Advance(CosmosChangeJournal.Grace + TimeSpan.FromSeconds(1));
        Assert.Equal([4L, 5L], (await journal.ReadAsync("AI", 3, 10)).Select(e => e.Seq)); // 4 filled
        await containers.Changes.CreateItemAsync(new { id = "e0000000000000000006", projectKey = "AI", kind = "entry", seq = 6L, at = clock.GetUtcNow(), changes = Array.Empty<object>(), ttl = 60 },
            new PartitionKey("AI")); // 6 filled by a reader that gave up on its writer
        Assert.Equal(7, await journal.AppendAsync("AI", [TaskChange("AI-007", 1)], clock.GetUtcNow()));
        Assert.Equal([6L, 7L], (await journal.ReadAsync("AI", 5, 10)).Select(e => e.Seq));
    }

    [Fact]
    public async Task Entries_expire_by_their_own_time_to_live_and_large_batches_take_several_entries()
    {
        var (journal, containers, clock) = await JournalWithClockAsync();
        var options = new ChangesOptions();
        var big = Enumerable.Range(1, 30).Select(i => new EntityChange(EntityChange.Task, $"AI-{i:D3}", EntityChange.Upsert, 1,
            System.Text.Json.JsonSerializer.SerializeToElement(new { description = new string('x', 40_000) }))).ToList();

        var last = await journal.AppendAsync("AI", big, clock.GetUtcNow());

        Assert.True(last > 1, "30 changes of 40 KB each do not fit one entry of at most 512 KB");
        var read = await journal.ReadAsync("AI", 0, 10);
        Assert.Equal(big.Select(c => c.Id), read.SelectMany(e => e.Changes).Select(c => c.Id));
        var raw = await containers.Changes.ReadItemAsync<System.Text.Json.JsonElement>("e0000000000000000001", new PartitionKey("AI"));
        Assert.Equal((int)options.KeptFor.TotalSeconds, raw.Resource.GetProperty("ttl").GetInt32());
        var properties = (await containers.Changes.ReadContainerAsync()).Resource;
        Assert.Equal("/projectKey", properties.PartitionKeyPath);
    }

    private static async Task<(CosmosChangeJournal Journal, CosmosContainers Containers, FakeTimeProvider Clock)> JournalWithClockAsync()
    {
        var server = await CosmosTestServer.InstanceAsync();
        var containers = new CosmosContainers(server.Client, new CosmosOptions { Database = CosmosTestServer.NewDatabaseName() });
        await containers.CreateIfNotExistsAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T08:00:00Z"));
        return (new CosmosChangeJournal(containers, new ChangesOptions(), clock), containers, clock);
    }

    /// <summary>Takes the project's next number as a writer does, without creating its entry.</summary>
    private static Task TakeNumberAsync(CosmosContainers containers, string projectKey) =>
        containers.Changes.PatchItemAsync<System.Text.Json.JsonElement>("seq", new PartitionKey(projectKey), [PatchOperation.Increment("/value", 1)]);
}
