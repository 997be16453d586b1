using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kanbatte.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Kanbatte.ReliabilityTests;

/// <summary>
/// The real server, killed with SIGKILL at random moments under concurrent writes, restarted on the same file:
/// every write that was acknowledged (a 2xx reached the client) is in the log exactly once, no write is in it twice,
/// and the view converges to the fold of the log.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    private const int Rounds = 10;
    private const int Writers = 8;
    private const string Project = "CR";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-crash-");

    private string Db => Path.Combine(_folder.FullName, "k.db");

    [Fact]
    public async Task Acknowledged_writes_survive_sigkill_exactly_once_and_the_view_converges()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var acknowledged = new ConcurrentDictionary<string, string>(); // correlation id -> what it did
        var sent = new ConcurrentDictionary<string, bool>();
        var taskIds = new ConcurrentQueue<string>();

        for (var round = 1; round <= Rounds; round++)
        {
            await using var server = await ServerProcess.StartAsync(_folder.FullName, $"--Kanbatte:Sqlite:Path={Db}");
            if (round == 1)
            {
                var created = await server.Client.PostAsJsonAsync("api/projects", new { key = Project, name = "Crash" });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers)
                .Select(w => WriteAsync(server.BaseAddress, new Random(seed + round * 100 + w), acknowledged, sent, taskIds, stop.Token))
                .ToArray();
            var before = acknowledged.Count;
            await Task.Delay(random.Next(150, 1000));
            await server.KillAsync();
            stop.Cancel();
            await Task.WhenAll(writers);
            output.WriteLine($"round {round}: {acknowledged.Count - before} acknowledged, {sent.Count} sent so far");
        }

        // One more start on the same file: the projector resumes from its checkpoint and catches up with the log.
        await using (var server = await ServerProcess.StartAsync(_folder.FullName, $"--Kanbatte:Sqlite:Path={Db}"))
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (LogOracle.Scalar(Db, "SELECT position FROM checkpoints WHERE consumer = 'view'") < LogOracle.Scalar(Db, "SELECT MAX(position) FROM event_log"))
            {
                Assert.True(DateTime.UtcNow < deadline, "the projector did not catch up with the log within 20 s of the restart");
                await Task.Delay(50);
            }
            Assert.NotEmpty(taskIds);
            foreach (var id in taskIds.Take(20))
                Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"api/tasks/{id}")).StatusCode);
            Assert.Equal(0, await server.InterruptAsync());
        }

        using var db = new SqliteDatabase(new SqliteOptions { Path = Db });
        var events = new SqliteEventStore(db);
        var log = await LogOracle.ReadLogAsync(events);
        var perWrite = log.GroupBy(e => e.Metadata.CorrelationId).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"seed {seed}: {acknowledged.Count} acknowledged of {sent.Count} sent; {log.Count} events in the log");

        Assert.True(acknowledged.Count >= Rounds * 5, $"too little load to prove anything: {acknowledged.Count} acknowledged writes (seed {seed})");
        foreach (var (id, what) in acknowledged)
            Assert.True(perWrite.GetValueOrDefault(id) == 1, $"acknowledged write {what} ({id}) is in the log {perWrite.GetValueOrDefault(id)} times (seed {seed})");
        foreach (var (id, count) in perWrite)
            Assert.True(count == 1, $"write {id} is in the log {count} times (seed {seed})");

        var view = LogOracle.ViewRows(Db);
        LogOracle.AssertSame(LogOracle.Fold(log), view, $"view vs fold of the log (seed {seed})");
        LogOracle.AssertSame(await LogOracle.RebuildAsync(events, _folder.FullName), view, $"view vs rebuild (seed {seed})");
    }

    /// <summary>Creates, renames and comments on tasks until stopped; each request carries its own correlation id, which the log keeps.</summary>
    private static async Task WriteAsync(Uri baseAddress, Random random, ConcurrentDictionary<string, string> acknowledged,
        ConcurrentDictionary<string, bool> sent, ConcurrentQueue<string> taskIds, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) }.WithToken();
        while (!stop.IsCancellationRequested)
        {
            var correlation = Guid.NewGuid().ToString("N");
            var known = taskIds.ToArray();
            var pick = known.Length == 0 ? 0 : random.Next(10);
            var (method, url, body, what) = pick switch
            {
                < 4 => (HttpMethod.Post, $"api/projects/{Project}/tasks", (object)new { title = "created " + correlation }, "create"),
                < 7 => (HttpMethod.Patch, $"api/tasks/{known[random.Next(known.Length)]}", new { title = "renamed " + correlation }, "rename"),
                _ => (HttpMethod.Post, $"api/tasks/{known[random.Next(known.Length)]}/comments", new { body = "comment " + correlation }, "comment"),
            };
            var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
            request.Headers.Add("X-Correlation-Id", correlation);
            sent[correlation] = true;
            try
            {
                using var response = await client.SendAsync(request, CancellationToken.None);
                if (!response.IsSuccessStatusCode) continue;
                var json = await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None);
                acknowledged[correlation] = $"{what} {url}";
                if (what == "create") taskIds.Enqueue(json.GetProperty("id").GetString()!);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException)
            {
                // The server died mid-request: the write is unacknowledged, so it may or may not be in the log (but never twice).
                await Task.Delay(20, CancellationToken.None);
            }
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
