using System.Net;
using Microsoft.Data.Sqlite;

namespace Kanbatte.FunctionalTests;

/// <summary>The server as users run it: a real process on a loopback port, its data in a file that outlives it.</summary>
public sealed class RealProcessTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-process-");

    [Fact]
    public async Task Lifecycle_survives_ctrl_c_and_a_restart()
    {
        // No path given: the database goes under .kanbatte/ in the working directory.
        await using (var server = await ServerProcess.StartAsync(_folder.FullName))
        {
            var client = server.Client;
            Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("api/projects", new { key = "AI", name = "AI research" })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("api/projects/AI/tasks", new { title = "Research ML models" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PatchJsonAsync("api/tasks/AI-001", new { status = "in_progress" })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("api/tasks/AI-001/comments", new { body = "Started research" })).StatusCode);

            Assert.Equal(0, await server.InterruptAsync());
        }
        Assert.True(File.Exists(Path.Combine(_folder.FullName, ".kanbatte", "kanbatte.db")));

        await using (var server = await ServerProcess.StartAsync(_folder.FullName))
        {
            var task = await (await server.Client.GetAsync("api/tasks/AI-001")).JsonAsync();
            Assert.Equal("in_progress", task.GetProperty("status").GetString());
            var history = await (await server.Client.GetAsync("api/tasks/AI-001/history")).JsonAsync();
            Assert.Equal(["task_created", "task_updated", "comment_added"], history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()));

            // Numbering continues after the restart.
            var next = await (await server.Client.PostJsonAsync("api/projects/AI/tasks", new { title = "Second" })).JsonAsync();
            Assert.Equal("AI-002", next.GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task After_a_kill_the_view_is_rebuilt_from_the_log_from_its_checkpoint()
    {
        var db = Path.Combine(_folder.FullName, "k.db");
        await using (var server = await ServerProcess.StartAsync(_folder.FullName, $"--Kanbatte:Sqlite:Path={db}"))
        {
            await server.Client.PostJsonAsync("api/projects", new { key = "OPS", name = "Ops" });
            await server.Client.PostJsonAsync("api/projects/OPS/tasks", new { title = "Before the kill" });
            await server.KillAsync();
        }

        // Lose the view and roll the checkpoint back: the restarted server must rebuild it from the log alone.
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM view; UPDATE checkpoints SET position = 0;";
            command.ExecuteNonQuery();
        }

        await using (var server = await ServerProcess.StartAsync(_folder.FullName, $"--Kanbatte:Sqlite:Path={db}"))
        {
            var deadline = DateTime.UtcNow.AddSeconds(5);
            HttpResponseMessage response;
            do response = await server.Client.GetAsync("api/tasks/OPS-001");
            while (response.StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
            var tasks = await (await server.Client.GetAsync("api/projects/OPS/tasks")).JsonAsync();
            Assert.Equal(1, tasks.GetProperty("items").GetArrayLength());
        }
    }

    /// <summary>
    /// A second server on the same file would decide on states and numbers the first holds in memory (SqliteServerLock):
    /// it refuses to start, naming the file, writes nothing, and the first goes on serving. Once the first has stopped, a
    /// server starts on the file (after a kill too: the test above).
    /// </summary>
    [Fact]
    public async Task A_second_server_on_the_same_file_refuses_to_start_and_the_first_keeps_serving()
    {
        var db = Path.Combine(_folder.FullName, "shared.db");
        await using (var first = await ServerProcess.StartAsync(_folder.FullName, $"--Kanbatte:Sqlite:Path={db}"))
        {
            Assert.Equal(HttpStatusCode.Created, (await first.Client.PostJsonAsync("api/projects", new { key = "ONE", name = "One" })).StatusCode);
            long Events()
            {
                using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM event_log";
                return (long)command.ExecuteScalar()!;
            }
            var before = Events();

            // The same file by another spelling of its path: the lock is the file's, not the argument's.
            var (exit, output, error) = await ServerProcess.RunAsync(_folder.FullName, [$"--Kanbatte:Sqlite:Path=./shared.db", .. TestTokens.CommandLine]);

            Assert.NotEqual(0, exit);
            Assert.Contains($"Another Kanbatte server is running on {db}", output + error);
            Assert.Equal(before, Events());
            Assert.Equal(HttpStatusCode.Created, (await first.Client.PostJsonAsync("api/projects/ONE/tasks", new { title = "Still served" })).StatusCode);
            Assert.Equal(0, await first.InterruptAsync());
        }

        await using (var second = await ServerProcess.StartAsync(_folder.FullName, $"--Kanbatte:Sqlite:Path={db}"))
            Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync("api/tasks/ONE-001")).StatusCode);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
