using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;
using Kanbatte.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kanbatte.Storage.Tests;

/// <summary>A re-drive reaches every parked event, however many before it keep failing.</summary>
public sealed class RedriveTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-redrive-");

    [Fact]
    public async Task A_redrive_walks_past_more_failing_events_than_one_page_holds()
    {
        using var db = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder.FullName, "k.db") });
        var events = new SqliteEventStore(db);
        var view = new SqliteViewStore(db);
        var deadLetters = new SqliteDeadLetterStore(db);
        var projector = new ResilientProjector(new Projector(view, events), deadLetters, new SqliteTransientErrors(), TimeProvider.System, NullLogger<ResilientProjector>.Instance);
        var meta = new EventMetadata("redrive-test");

        // More events than a page that no projection knows, parked before (in stream order) one that now projects.
        var failing = ResilientProjector.RedrivePageSize + 20;
        for (var i = 0; i < failing; i++)
            await deadLetters.ParkAsync(new EventEnvelope($"other:{i:000}", 1, "task_teleported", 1, JsonSerializer.SerializeToElement(new { }), DateTimeOffset.UtcNow, meta), "unknown stream", DateTimeOffset.UtcNow);
        var created = EventCodec.Encode(StreamIds.Project("ZZ"), 1, new ProjectCreated("ZZ", "Parked last", null, null), DateTimeOffset.UtcNow, meta);
        await events.AppendAsync(created.StreamId, 0, [created]);
        await deadLetters.ParkAsync(created, "was failing", DateTimeOffset.UtcNow);

        var (result, _) = await projector.RedriveAsync();

        Assert.Equal(new RedriveResult(1, failing), result);
        Assert.NotNull(await view.GetAsync(ViewKeys.Project("ZZ").Partition, ViewKeys.Project("ZZ").Id));
        Assert.Equal(failing, await deadLetters.CountAsync());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
