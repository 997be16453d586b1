using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Kanbatte.Cli;

public static partial class Cli
{
    private static Command FollowupCommand()
    {
        var followup = new Command("followup", "A project's followups");
        var project = new Option<string>("--project", "-p") { Description = "The project (AI)", HelpName = "key", Required = true };
        var status = new Option<string?>("--status", "-s") { Description = "Only open or only resolved followups", HelpName = "status" };
        var limit = LimitOption("At most this many followups, oldest first (default: all)");
        var format = FormatOption();
        var list = new Command("list", "The project's followups, oldest first") { project, status, limit, format };
        Action(list, async run =>
        {
            var path = KanbatteClient.WithQuery(ProjectPath(run.Get(project)!, "/followups"), ("status", run.Get(status)?.Trim().ToLowerInvariant()));
            run.Write(Views.List(run.Get(format), await run.Client.GetAllAsync(path, run.Ct, run.Get(limit)), Views.Followups));
        });
        followup.Add(list);
        return followup;
    }

    private static Command BoardCommand()
    {
        var key = KeyArgument();
        var asOf = new Option<string?>("--as-of") { Description = "The board as it was then (RFC 3339, or local time)", HelpName = "time" };
        var limit = new Option<int?>("--limit") { Description = "Tasks shown per column, 1-100 (default 50; the count is of all)", HelpName = "n" };
        var format = FormatOption();
        var board = new Command("board", "A project's board: a column per status, tasks by rank") { key, asOf, limit, format };
        Action(board, async run =>
        {
            var projectKey = run.Get(key)!.Trim().ToUpperInvariant();
            var path = KanbatteClient.WithQuery(ProjectPath(projectKey, "/board"),
                ("asOf", run.Get(asOf) is { } a ? Invocation.AsOf(a, "--as-of") : null), ("limit", run.Get(limit)?.ToString(CultureInfo.InvariantCulture)));
            var document = await run.Client.GetAsync(path, run.Ct);
            run.Write(run.Get(format) switch
            {
                OutputFormat.Json => Output.Json(document) + "\n",
                var f => BoardText(projectKey, document, f == OutputFormat.Markdown),
            });
        });
        return board;
    }

    private static readonly ListView BoardTasks = new(["id", "priority", "assignee", "due", "labels", "title"],
        t => [Views.S(t, "id"), Views.S(t, "priority"), Views.S(t, "assignee"), Views.S(t, "dueDate"), Views.S(t, "labels"), Views.S(t, "title")]);

    private static string BoardText(string key, JsonNode board, bool markdown)
    {
        var text = new StringBuilder(markdown ? $"# Board {key}\n" : "");
        var first = true;
        foreach (var column in board["columns"]?.AsArray() ?? [])
        {
            var tasks = column!["tasks"]?.AsArray() ?? [];
            var count = column["count"]?.GetValue<int>() ?? tasks.Count;
            var heading = $"{Views.S(column, "status")} ({count})";
            if (markdown) text.Append($"\n## {heading}\n\n");
            else text.Append(first ? "" : "\n").Append(heading.ToUpperInvariant()).Append('\n');
            first = false;
            if (tasks.Count == 0)
            {
                text.Append(markdown ? "None.\n" : "  (none)\n");
                continue;
            }
            var rows = tasks.Select(t => (IReadOnlyList<string>)BoardTasks.Row(t!));
            text.Append(markdown ? Output.MarkdownTable(Views.Capitalized(BoardTasks.Headers), rows)
                : string.Concat(Output.Table(BoardTasks.Headers, rows).Split('\n').Where(l => l.Length > 0).Select(l => "  " + l + "\n")));
            if (count > tasks.Count) text.Append(markdown ? $"\n{count - tasks.Count} more.\n" : $"  ({count - tasks.Count} more)\n");
        }
        return text.ToString();
    }

    private static Command ActivityCommand()
    {
        var key = KeyArgument();
        var limit = LimitOption("At most this many events, newest first (default 50)");
        var format = FormatOption();
        var activity = new Command("activity", "A project's events, newest first, with who made each") { key, limit, format };
        Action(activity, async run => run.Write(Views.List(run.Get(format),
            await run.Client.GetAllAsync(ProjectPath(run.Get(key)!, "/activity"), run.Ct, run.Get(limit) ?? 50), Views.Activity)));
        return activity;
    }
}
