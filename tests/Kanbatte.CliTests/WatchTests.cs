using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Kanbatte.CliTests;

/// <summary>kanbatte watch: the hub tells it a project changed, it pulls the changes feed and prints each change, until Ctrl+C.</summary>
[Collection(CliCollection.Name)]
public sealed class WatchTests(CliServer server)
{
    [Fact]
    public async Task Watch_prints_changes_another_user_makes_as_json_lines_until_ctrl_c()
    {
        var ann = server.As("ann");
        await ann.OkAsync("project", "create", "-p", "WJ", "-n", "Watched");
        await ann.OkAsync("project", "add-member", "WJ", "bo", "--role", "member", "--name", "Bo");
        await ann.OkAsync("task", "create", "-p", "WJ", "-t", "Already there");

        await using var watch = await Watching.StartAsync(ann, "watch", "WJ", "--format", "json");
        Assert.Equal($"Watching WJ on {server.Url} (Ctrl+C to stop).", watch.Ready);

        // The first line is Bo's task: what was there before the watch started (the project, members, WJ-001) is not printed.
        using var bo = server.Api("bo");
        Assert.True((await bo.PostJsonAsync("/api/projects/WJ/tasks", new { title = "Made by Bo" })).IsSuccessStatusCode);
        var first = JsonDocument.Parse(await watch.NextLineAsync()).RootElement;
        Assert.Equal("task", first.GetProperty("entity").GetString());
        Assert.Equal("WJ-002", first.GetProperty("id").GetString());
        Assert.Equal("upsert", first.GetProperty("op").GetString());
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.Equal("Made by Bo", first.GetProperty("data").GetProperty("title").GetString());

        Assert.True((await bo.PostJsonAsync("/api/tasks/WJ-001/comments", new { body = "Bo was here" })).IsSuccessStatusCode);
        var lines = new List<JsonElement>();
        while (!lines.Any(l => l.GetProperty("entity").GetString() == "comment"))
            lines.Add(JsonDocument.Parse(await watch.NextLineAsync()).RootElement);
        var comment = lines.Single(l => l.GetProperty("entity").GetString() == "comment");
        Assert.Equal("Bo was here", comment.GetProperty("data").GetProperty("body").GetString());
        Assert.Equal("bo", comment.GetProperty("data").GetProperty("authorId").GetString());

        var (exitCode, rest, error) = await watch.StopAsync();
        Assert.Equal(0, exitCode);
        Assert.All(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => JsonDocument.Parse(l));
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Watch_prints_a_line_per_change_in_table_and_markdown()
    {
        var ann = server.As("ann");
        await ann.OkAsync("project", "create", "-p", "WT", "-n", "Watched too");
        await ann.OkAsync("project", "add-member", "WT", "bo", "--role", "member", "--name", "Bo");
        var session = new Transcript();
        using var bo = server.Api("bo");

        foreach (var format in new[] { "table", "markdown" })
        {
            await using var watch = await Watching.StartAsync(ann, "watch", "WT", "-f", format);
            var number = format == "table" ? 1 : 2;
            Assert.True((await bo.PostJsonAsync("/api/projects/WT/tasks", new { title = $"Task {number} | by Bo", status = "in_progress" })).IsSuccessStatusCode);
            var line = await watch.NextLineAsync();
            Assert.True((await bo.PatchJsonAsync($"/api/tasks/WT-00{number}", new { status = "done" })).IsSuccessStatusCode);
            var second = await watch.NextLineAsync();
            var (exitCode, rest, error) = await watch.StopAsync();
            session.Append("ann", ["watch", "WT", "-f", format], new ToolResult(exitCode, $"{line}\n{second}\n{rest}", $"{watch.Ready}\n{error}"));
        }
        session.Matches("watch");
    }

    /// <summary>A running watch: its standard output read line by line, stopped with Ctrl+C (SIGINT).</summary>
    private sealed class Watching : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
        private readonly Task _reading;

        private Watching(Process process)
        {
            _process = process;
            _reading = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line) await _lines.Writer.WriteAsync(line);
                _lines.Writer.Complete();
            });
        }

        public string Ready { get; private set; } = "";

        /// <summary>Starts the watch and waits for it to say it is watching (its first line on standard error).</summary>
        public static async Task<Watching> StartAsync(Tool tool, params string[] args)
        {
            var process = Process.Start(KanbatteTool.StartInfo(args, tool.Environment))!;
            process.StandardInput.Close();
            var watching = new Watching(process);
            watching.Ready = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "";
            Assert.StartsWith("Watching ", watching.Ready);
            return watching;
        }

        public async Task<string> NextLineAsync() => await _lines.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        /// <summary>Ctrl+C; then the exit code, the lines not read yet and the rest of standard error.</summary>
        public async Task<(int ExitCode, string Remaining, string Error)> StopAsync()
        {
            KanbatteTool.Signal(_process, KanbatteTool.StopSignal);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await _reading;
            var rest = new List<string>();
            while (_lines.Reader.TryRead(out var line)) rest.Add(line);
            return (_process.ExitCode, string.Concat(rest.Select(l => l + "\n")), await _process.StandardError.ReadToEndAsync());
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
    }
}
