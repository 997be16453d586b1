using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Functions;
using Kanbatte.Functions.Http;
using Kanbatte.Storage.Cosmos;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace Kanbatte.Azure.Tests;

/// <summary>
/// The change-feed function called directly with batches, as the host would deliver them: in order, duplicated,
/// redelivered after a failed invocation, and with a poison event in the middle. Over the Cosmos DB store on the test server.
/// </summary>
public sealed class ProjectorTriggerTests : IAsyncLifetime
{
    private static readonly EventMetadata Meta = new("trigger-test");
    private FunctionApp _app = null!;
    private readonly FlakyViewStore.Switch _faults = new();

    public async Task InitializeAsync() =>
        _app = await FunctionApp.StartAsync(s => s.AddSingleton<IViewStore>(sp => new FlakyViewStore(new CosmosViewStore(sp.GetRequiredService<CosmosContainers>()), _faults)));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private ProjectEventsFunction Trigger => _app.Function<ProjectEventsFunction>();
    private IDeadLetterStore DeadLetters => _app.Get<IDeadLetterStore>();

    /// <summary>Two projects, three tasks with updates and comments: about 15 events over 5 streams.</summary>
    private async Task<List<CosmosEventDocument>> WriteHistoryAsync()
    {
        var commands = _app.Get<KanbatteCommands>();
        await commands.CreateProjectAsync(new CreateProject("AI", "AI project", null, null), Meta);
        await commands.CreateProjectAsync(new CreateProject("WEB", "Web project", null, null), Meta);
        foreach (var key in new[] { "AI", "AI", "WEB" })
        {
            var task = await commands.CreateTaskAsync(key, new CreateTask($"Task in {key}", null, null), Meta);
            await commands.ChangeTaskAsync(task.Id, new ChangeTask(null, null, Statuses.InProgress), null, Meta);
            await commands.AddCommentAsync(task.Id, new AddComment("first"), Meta);
            await commands.ChangeTaskAsync(task.Id, new ChangeTask("Renamed", null, Statuses.Done), null, Meta);
        }
        return await _app.LogAsync();
    }

    /// <summary>The view must hold, for every stream, exactly the state folded from the whole log.</summary>
    private async Task AssertViewEqualsLogAsync(IReadOnlyList<CosmosEventDocument> log)
    {
        Assert.NotEmpty(log); // an empty log would leave nothing to compare
        var view = _app.Get<CosmosContainers>();
        var store = new CosmosViewStore(view);
        foreach (var stream in log.GroupBy(d => d.StreamId))
        {
            var events = stream.Select(d => d.ToEnvelope()).ToList();
            var (partition, id, expected) = stream.Key.StartsWith(StreamIds.ProjectPrefix, StringComparison.Ordinal)
                ? Tuple(ViewKeys.Project(stream.Key[StreamIds.ProjectPrefix.Length..]), KanbatteJson.Serialize(EventCodec.FoldProject(events)))
                : Tuple(ViewKeys.Task(events[0].ProjectKey, stream.Key[StreamIds.TaskPrefix.Length..]), KanbatteJson.Serialize(EventCodec.FoldTask(events)));
            var doc = await store.GetAsync(partition, id);
            Assert.True(doc is not null, $"{id} is not in the view");
            Assert.Equal(events[^1].Version, doc.Version);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(doc.Json)), $"{id}: {doc.Json} != {expected}");
        }
        var comments = log.Count(d => d.Type == "comment_added");
        var listed = 0;
        foreach (var key in new[] { "AI", "WEB" })
            foreach (var task in await store.ListTasksAsync(new TaskListQuery(key, [], 0, 100)))
                listed += (await store.ListCommentsAsync(key, task.Id["task:".Length..], 0, 100)).Count;
        Assert.Equal(comments, listed);

        static (string, string, string) Tuple((string Partition, string Id) key, string json) => (key.Partition, key.Id, json);
    }

    [Fact]
    public async Task Batches_in_order_project_the_log()
    {
        var log = await WriteHistoryAsync();
        Assert.True(log.Count >= 14, $"{log.Count} events");

        foreach (var batch in log.Chunk(4)) await Trigger.Run(batch, CancellationToken.None);

        await AssertViewEqualsLogAsync(log);
        Assert.Empty(await DeadLetters.ListAsync(10));
    }

    [Fact]
    public async Task Duplicated_and_redelivered_batches_change_nothing()
    {
        var log = await WriteHistoryAsync();

        foreach (var batch in log.Chunk(5))
        {
            var doubled = batch.Concat(batch.Reverse()).ToList();
            await Trigger.Run(doubled, CancellationToken.None);
            await Trigger.Run(batch, CancellationToken.None);
        }
        var writes = _faults.Writes;
        await Trigger.Run(log, CancellationToken.None); // the whole feed again, as after losing every lease

        await AssertViewEqualsLogAsync(log);
        Assert.Equal(writes, _faults.Writes); // nothing was already applied twice
        Assert.Empty(await DeadLetters.ListAsync(10));
    }

    [Fact]
    public async Task A_transient_store_error_fails_the_invocation_and_the_redelivered_batch_completes()
    {
        var log = await WriteHistoryAsync();
        _faults.FailNextWrites(2, () => new CosmosException("throttled", (HttpStatusCode)429, 0, "test", 1));

        // The invocation fails (the host's retry policy will deliver the same batch again), and nothing is parked.
        await Assert.ThrowsAsync<CosmosException>(() => Trigger.Run(log, CancellationToken.None));
        Assert.Empty(await DeadLetters.ListAsync(10));
        await Assert.ThrowsAsync<CosmosException>(() => Trigger.Run(log, CancellationToken.None));

        await Trigger.Run(log, CancellationToken.None);

        await AssertViewEqualsLogAsync(log);
        Assert.Empty(await DeadLetters.ListAsync(10));
    }

    [Fact]
    public async Task A_poison_event_is_parked_the_feed_goes_on_and_a_redrive_applies_it_once()
    {
        var log = await WriteHistoryAsync();
        // Every view write of task AI-002 fails (a bug in its projection, say) until it is fixed.
        _faults.FailWritesOf("task:AI-002", () => new InvalidOperationException("projection bug"));
        var poisoned = log.Where(d => d.StreamId == "task:AI-002").ToList();
        Assert.NotEmpty(poisoned);

        foreach (var batch in log.Chunk(6)) await Trigger.Run(batch, CancellationToken.None); // no invocation fails

        var parked = await DeadLetters.ListAsync(100);
        Assert.Equal(poisoned.Select(d => (d.StreamId, d.Version)), parked.Select(p => (p.Event.StreamId, p.Event.Version)));
        Assert.All(parked, p => Assert.Contains("projection bug", p.Error));
        Assert.Null(await _app.Get<IViewStore>().GetAsync("AI", "task:AI-002"));
        await AssertViewEqualsLogAsync(log.Where(d => d.StreamId != "task:AI-002").ToList()); // every other stream went on

        // Still broken: the re-drive keeps them parked and counts the attempt.
        var request = DirectHttp.Request(_app.Services, "POST", "/api/admin/dead-letters/redrive");
        var failed = await DirectHttp.CallAsync(request, _app.Function<RedriveDeadLettersFunction>().Run);
        Assert.Equal((200, 0, poisoned.Count), (failed.Status, failed.Json.GetProperty("applied").GetInt32(), failed.Json.GetProperty("stillFailing").GetInt32()));
        Assert.All(await DeadLetters.ListAsync(100), p => Assert.Equal(2, p.Attempts));

        _faults.Fix();
        var writesBefore = _faults.WritesOf("task:AI-002");
        request = DirectHttp.Request(_app.Services, "POST", "/api/admin/dead-letters/redrive");
        var redriven = await DirectHttp.CallAsync(request, _app.Function<RedriveDeadLettersFunction>().Run);

        Assert.Equal((200, poisoned.Count, 0), (redriven.Status, redriven.Json.GetProperty("applied").GetInt32(), redriven.Json.GetProperty("stillFailing").GetInt32()));
        Assert.Equal(poisoned.Count, _faults.WritesOf("task:AI-002") - writesBefore); // each parked event applied exactly once
        Assert.Empty(await DeadLetters.ListAsync(100));
        await AssertViewEqualsLogAsync(log);

        // A late redelivery of the poisoned events changes nothing either.
        await Trigger.Run(poisoned, CancellationToken.None);
        Assert.Equal(poisoned.Count, _faults.WritesOf("task:AI-002") - writesBefore);
    }

    [Fact]
    public async Task An_event_that_can_never_be_projected_stays_parked_with_its_error()
    {
        var log = await WriteHistoryAsync();
        // An event type this version of the projector does not know, appended after AI-001's last event.
        var last = log.Last(d => d.StreamId == "task:AI-001");
        var unknown = new EventEnvelope("task:AI-001", last.Version + 1, "task_teleported", 1, JsonSerializer.SerializeToElement(new { to = "mars" }), DateTimeOffset.UtcNow, Meta);
        await _app.Get<IEventStore>().AppendAsync("task:AI-001", last.Version, [unknown]);
        var withPoison = log.Take(log.Count / 2).Append(CosmosEventDocument.From(unknown)).Concat(log.Skip(log.Count / 2)).ToList();

        await Trigger.Run(withPoison, CancellationToken.None);

        var parked = Assert.Single(await DeadLetters.ListAsync(10));
        Assert.Equal(("task:AI-001", last.Version + 1, "task_teleported"), (parked.Event.StreamId, parked.Event.Version, parked.Event.Type));
        Assert.Contains("task_teleported", parked.Error);
        await AssertViewEqualsLogAsync(log); // everything before it, and every other stream, is projected

        var (result, _) = await _app.Get<ResilientProjector>().RedriveAsync();
        Assert.Equal(new RedriveResult(0, 1), result);
        Assert.Equal(2, Assert.Single(await DeadLetters.ListAsync(10)).Attempts);
    }
}
