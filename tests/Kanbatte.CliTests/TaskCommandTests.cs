using System.Net;
using System.Text.Json;

namespace Kanbatte.CliTests;

[Collection(CliCollection.Name)]
public sealed class TaskCommandTests(CliServer server)
{
    [Fact]
    public async Task A_task_from_creation_to_archive_in_each_format()
    {
        var ann = server.As("ann");
        var bo = server.As("bo");
        var session = new Transcript();
        await session.OkAsync("ann", ann, "project", "create", "-p", "TSK", "-n", "Tasks");
        await session.OkAsync("ann", ann, "project", "add-member", "TSK", "bo", "--role", "member", "--name", "Bo");

        await session.OkAsync("ann", ann, "task", "create", "-p", "TSK", "-t", "Research ML models");
        await session.OkAsync("ann", ann, "task", "create", "-p", "TSK", "-t", "Compare licences", "--description", "Which models may we ship?\nOnly permissive ones.",
            "-s", "in-progress", "--priority", "high", "--assignee", "bo", "--label", "ml", "--label", "legal", "--due", "2026-12-24", "--format", "json");
        await session.OkAsync("ann", ann, "task", "create", "-p", "tsk", "-t", "Write | the report", "-s", "ready", "--priority", "low", "--format", "markdown");
        await session.OkAsync("bo", bo, "task", "create", "-p", "TSK", "-t", "Bo's own", "-s", "done", "-a", "bo", "-l", "misc");

        await session.OkAsync("ann", ann, "task", "list", "-p", "TSK");
        await session.OkAsync("ann", ann, "task", "list", "-p", "TSK", "-s", "ready,in-progress");
        await session.OkAsync("ann", ann, "task", "list", "-p", "TSK", "-s", "ready", "-s", "in_progress", "--format", "json");
        await session.OkAsync("ann", ann, "task", "list", "-p", "TSK", "--assignee", "bo", "-f", "markdown");
        await session.OkAsync("ann", ann, "task", "list", "-p", "TSK", "--label", "ml");
        await session.OkAsync("ann", ann, "task", "list", "-p", "TSK", "-q", "RE");
        await session.OkAsync("ann", ann, "task", "list", "-p", "TSK", "--priority", "high,low", "--sort", "-priority");
        await session.OkAsync("ann", ann, "task", "list", "-p", "TSK", "--sort", "-number", "--limit", "2");

        await session.OkAsync("bo", bo, "task", "update", "-i", "TSK-001", "-s", "in-progress", "-t", "Research ML models (v2)", "--priority", "medium",
            "--assignee", "bo", "--label", "ml", "--due", "2027-01-15");
        await session.OkAsync("bo", bo, "task", "update", "-i", "tsk-001", "--description", "Start with the small ones.", "--if-version", "2", "-f", "json");
        await session.OkAsync("ann", ann, "task", "update", "-i", "TSK-001", "--unassign", "--clear-labels", "--clear-due", "-f", "markdown");
        await session.OkAsync("ann", ann, "task", "comment", "-i", "TSK-001", "-c", "Started research");
        await session.OkAsync("bo", bo, "task", "comment", "-i", "TSK-001", "-c", "Found three candidates:\n- a\n- b | c", "-f", "json");
        await session.OkAsync("bo", bo, "task", "comment", "-i", "TSK-001", "-c", "Markdown too", "-f", "markdown");

        await session.OkAsync("ann", ann, "task", "read", "TSK-001");
        await session.OkAsync("ann", ann, "task", "read", "TSK-001", "-f", "json");
        await session.OkAsync("ann", ann, "task", "read", "TSK-001", "--format", "markdown");

        await session.OkAsync("ann", ann, "task", "move", "-i", "TSK-003", "-s", "in-progress", "--before", "TSK-002");
        await session.OkAsync("ann", ann, "task", "move", "-i", "TSK-001", "--after", "tsk-003", "-f", "json");
        await session.OkAsync("ann", ann, "task", "move", "-i", "TSK-004", "-s", "review", "-f", "markdown");
        await session.OkAsync("ann", ann, "board", "TSK");
        await session.OkAsync("ann", ann, "board", "TSK", "-f", "json");
        await session.OkAsync("ann", ann, "board", "tsk", "-f", "markdown");
        await session.OkAsync("ann", ann, "board", "TSK", "--limit", "1");

        await session.OkAsync("ann", ann, "task", "archive", "-i", "TSK-004");
        await session.OkAsync("ann", ann, "task", "list", "-p", "TSK");
        await session.OkAsync("ann", ann, "task", "list", "-p", "TSK", "--archived", "-f", "json");
        await session.OkAsync("ann", ann, "task", "restore", "-i", "TSK-004", "-f", "json");
        await session.OkAsync("ann", ann, "task", "archive", "-i", "TSK-004", "-f", "markdown");
        await session.OkAsync("ann", ann, "task", "restore", "-i", "TSK-004");
        await session.OkAsync("ann", ann, "task", "archive", "-i", "TSK-004", "-f", "json");
        await session.OkAsync("ann", ann, "task", "restore", "-i", "TSK-004", "-f", "markdown");

        await session.OkAsync("ann", ann, "task", "history", "TSK-001");
        await session.OkAsync("ann", ann, "task", "history", "TSK-001", "-f", "json", "--limit", "2");
        await session.OkAsync("ann", ann, "task", "history", "TSK-001", "-f", "markdown");
        await session.OkAsync("ann", ann, "activity", "TSK", "--limit", "4");
        await session.OkAsync("ann", ann, "activity", "TSK", "--limit", "2", "-f", "json");
        await session.OkAsync("ann", ann, "activity", "TSK", "--limit", "3", "-f", "markdown");
        session.Matches("task-lifecycle");
    }

    [Fact]
    public async Task Whoami_in_each_format()
    {
        var bo = server.As("bo");
        var session = new Transcript();
        await session.OkAsync("bo", bo, "whoami");
        await session.OkAsync("bo", bo, "whoami", "-f", "json");
        await session.OkAsync("bo", bo, "whoami", "-f", "markdown");
        session.Matches("whoami");
    }

    [Fact]
    public async Task A_task_from_a_markdown_file_as_the_original_took_it()
    {
        var ann = server.As("ann");
        await ann.OkAsync("project", "create", "-p", "TMD", "-n", "From files");
        var folder = Directory.CreateTempSubdirectory("kanbatte-cli-file-").FullName;
        var file = Path.Combine(folder, "task.md");
        await File.WriteAllTextAsync(file, "# TMD - Research ML models\n\n## Goal\n\nPick a model.\n\n  - keep this indent\n\n");
        var bare = Path.Combine(folder, "bare.md");
        await File.WriteAllTextAsync(bare, "\n# tmd - Only a title\n");

        // -f names the file relative to the folder the tool runs in.
        ann.WorkingDirectory = folder;
        var session = new Transcript();
        await session.OkAsync("ann", ann, "task", "create", "-f", "task.md", "--format", "json");
        await session.OkAsync("ann", ann, "task", "create", "--file", "bare.md", "-p", "TMD", "--priority", "urgent", "-l", "files");
        var piped = await session.RunWithInputAsync("ann", ann, "# TMD - From standard input\nPiped in.\n", "task", "create", "-f", "-", "--format", "json");
        await session.RunAsync("ann", ann, "task", "create", "-f", "missing.md");
        await session.RunWithInputAsync("ann", ann, "Research ML models\n\nNo heading.\n", "task", "create", "-f", "-");
        await session.RunWithInputAsync("ann", ann, "# TMD - Mine\n", "task", "create", "-f", "-", "-p", "OTHER");
        await session.RunWithInputAsync("ann", ann, "# TMD - Mine\n", "task", "create", "-f", "-", "-t", "Another title");
        await session.RunWithInputAsync("ann", ann, "# NOPE - A project that is not there\n", "task", "create", "-f", "-");
        session.Matches("task-file");

        Assert.Equal(0, piped.ExitCode);
        using var api = server.Api("ann");
        var tasks = await (await api.GetAsync("/api/projects/TMD/tasks")).JsonAsync();
        Assert.Equal(3, tasks.GetProperty("items").GetArrayLength());
    }
}
