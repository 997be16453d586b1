using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Storage.Sqlite;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Kanbatte.Testing;

namespace Kanbatte.Azure.Tests;

/// <summary>The self-hosted server's feed takes the same resilient path: a poison event is parked, the feed goes on.</summary>
public sealed class SqliteDeadLetterTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-poison-");
    private string DbPath => Path.Combine(_folder.FullName, "k.db");

    [Fact]
    public async Task A_poison_event_in_the_log_is_parked_and_later_writes_are_still_projected()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("Kanbatte:Sqlite:Path", DbPath).UseTestIssuer());
        var client = factory.CreateClient().WithToken();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/projects", new { key = "AI", name = "AI" })).StatusCode);

        // Another writer of the same file appends an event this version cannot project.
        using (var db = new SqliteDatabase(new SqliteOptions { Path = DbPath }))
            await new SqliteEventStore(db).AppendAsync("task:AI-900", 0,
                [new EventEnvelope("task:AI-900", 1, "task_teleported", 1, JsonSerializer.SerializeToElement(new { to = "mars" }), DateTimeOffset.UtcNow, new EventMetadata("poison"))]);

        // The server reads its own writes only once the projector is past the poison event.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/projects/AI/tasks", new { title = "After" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/tasks/AI-001")).StatusCode);

        var parked = await client.GetFromJsonAsync<JsonElement>("/api/admin/dead-letters");
        Assert.Equal(1, parked.GetProperty("count").GetInt32());
        var item = parked.GetProperty("items")[0];
        Assert.Equal(("task:AI-900", 1, "task_teleported"), (item.GetProperty("streamId").GetString(), item.GetProperty("version").GetInt32(), item.GetProperty("type").GetString()));
        Assert.Contains("task_teleported", item.GetProperty("error").GetString());

        var redrive = await client.PostAsync("/api/admin/dead-letters/redrive", null);
        var result = await redrive.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((HttpStatusCode.OK, 0, 1), (redrive.StatusCode, result.GetProperty("applied").GetInt32(), result.GetProperty("stillFailing").GetInt32()));
        var again = await client.GetFromJsonAsync<JsonElement>("/api/admin/dead-letters");
        Assert.Equal(2, again.GetProperty("items")[0].GetProperty("attempts").GetInt32());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
