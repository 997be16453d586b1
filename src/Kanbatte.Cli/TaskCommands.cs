using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Kanbatte.Cli;

public static partial class Cli
{
    private static string TaskPath(string id, string rest = "") => $"tasks/{KanbatteClient.Segment(id.Trim().ToUpperInvariant())}{rest}";

    private static Option<string> TaskIdOption() => new("--id", "-i") { Description = "The task (AI-001)", HelpName = "id", Required = true };

    private static Argument<string> TaskIdArgument() => new("id") { Description = "The task (AI-001)" };

    private static Option<string?> StatusOption(string description) => new("--status", "-s") { Description = description, HelpName = "status" };

    private static Option<string[]> LabelOption(string description) => new("--label", "-l") { Description = description, HelpName = "label", AllowMultipleArgumentsPerToken = false };

    private static Command TaskCommand()
    {
        var task = new Command("task", "Create, list, read, change, move and comment on tasks");
        task.Add(TaskCreate());
        task.Add(TaskList());
        task.Add(TaskRead());
        task.Add(TaskUpdate());
        task.Add(TaskMove());
        task.Add(TaskArchive("archive", "Archive a task: it leaves lists and the board and keeps its history"));
        task.Add(TaskArchive("restore", "Restore an archived task"));
        task.Add(TaskComment());
        task.Add(TaskFollowup());
        task.Add(TaskUpdateFollowup());
        task.Add(TaskHistory());
        return task;
    }

    private static Command TaskCreate()
    {
        var project = new Option<string?>("--project", "-p") { Description = "The project (AI); with --file, the file's heading names it", HelpName = "key" };
        var title = new Option<string?>("--title", "-t") { Description = "The title (one line)", HelpName = "title" };
        var description = new Option<string?>("--description", "-d") { Description = "The description", HelpName = "text" };
        var status = StatusOption("todo (default), ready, in_progress (or in-progress), review or done");
        var priority = new Option<string?>("--priority") { Description = "none (default), low, medium, high or urgent", HelpName = "priority" };
        var assignee = new Option<string?>("--assignee", "-a") { Description = "A member's user id", HelpName = "user" };
        var labels = LabelOption("A label (repeat for more)");
        var due = new Option<string?>("--due") { Description = "The due date, YYYY-MM-DD", HelpName = "date" };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "A Markdown file: '# AI - <title>' on the first line, the description below ('-': standard input)", HelpName = "task.md" };
        var idempotencyKey = IdempotencyKeyOption();
        var format = FormatOption(shortAlias: false);
        var create = new Command("create", "Create a task (at the bottom of its column)")
        {
            project, title, description, status, priority, assignee, labels, due, file, idempotencyKey, format,
        };
        Action(create, async run =>
        {
            string key, titleText;
            string? descriptionText = run.Get(description);
            if (run.Get(file) is { } path)
            {
                if (run.Get(title) is not null || descriptionText is not null)
                    throw CliException.Usage("--file gives the title and the description: leave out --title and --description.");
                var (fileKey, fileTitle, fileDescription) = TaskFile.Parse(ReadFile(path), path.Name);
                if (run.Get(project) is { } given && !given.Trim().Equals(fileKey, StringComparison.OrdinalIgnoreCase))
                    throw CliException.Usage($"--project {given} does not match the file's project {fileKey}.");
                (key, titleText) = (fileKey, fileTitle);
                descriptionText = fileDescription.Length == 0 ? null : fileDescription;
            }
            else
            {
                key = run.Get(project) ?? throw CliException.Usage("Option '--project' is required (or give --file).");
                titleText = run.Get(title) ?? throw CliException.Usage("Option '--title' is required (or give --file).");
            }
            var body = new JsonObject { ["title"] = titleText };
            if (descriptionText is not null) body["description"] = descriptionText;
            if (run.Get(status) is { } s) body["status"] = StatusNames.Normalize(s);
            if (run.Get(priority) is { } p) body["priority"] = p.Trim().ToLowerInvariant();
            if (run.Get(assignee) is { } a) body["assignee"] = a;
            if (run.Get(labels) is { Length: > 0 } l) body["labels"] = new JsonArray([.. l.Select(x => (JsonNode?)x)]);
            if (run.Get(due) is { } d) body["dueDate"] = d.Trim();
            var answer = await run.Client.SendAsync(HttpMethod.Post, ProjectPath(key, "/tasks"), body, Retry.WithKey, run.Ct, run.Get(idempotencyKey));
            run.Write(Views.Entity(run.Get(format), answer.Body!, Views.Task));
        });
        return create;
    }

    private static string ReadFile(FileInfo file)
    {
        try
        {
            return file.ToString() == "-" ? Console.In.ReadToEnd() : File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw CliException.Usage($"{file}: no such file.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"{file}: {e.Message}");
        }
    }

    private static Command TaskList()
    {
        var project = new Option<string>("--project", "-p") { Description = "The project (AI)", HelpName = "key", Required = true };
        var status = new Option<string[]>("--status", "-s") { Description = "Only these statuses, a comma list (ready,in-progress)", HelpName = "statuses" };
        var priority = new Option<string[]>("--priority") { Description = "Only these priorities, a comma list (high,urgent)", HelpName = "priorities" };
        var assignee = new Option<string?>("--assignee", "-a") { Description = "Only tasks assigned to this user id", HelpName = "user" };
        var label = new Option<string?>("--label", "-l") { Description = "Only tasks with this label", HelpName = "label" };
        var query = new Option<string?>("--query", "-q") { Description = "Only tasks whose title contains this (any case)", HelpName = "text" };
        var sort = new Option<string?>("--sort") { Description = "number (default), rank, priority, updatedAt or dueDate; a leading '-' for descending", HelpName = "field" };
        var archived = new Option<bool>("--archived") { Description = "The archived tasks instead" };
        var limit = LimitOption("At most this many tasks (default: all, page after page)");
        var format = FormatOption();
        var list = new Command("list", "A project's tasks") { project, status, priority, assignee, label, query, sort, archived, limit, format };
        Action(list, async run =>
        {
            var path = KanbatteClient.WithQuery(ProjectPath(run.Get(project)!, "/tasks"),
                ("status", run.Get(status) is { Length: > 0 } s ? StatusNames.NormalizeList(s) : null),
                ("priority", run.Get(priority) is { Length: > 0 } p ? string.Join(",", p).ToLowerInvariant() : null),
                ("assignee", run.Get(assignee)),
                ("label", run.Get(label)),
                ("q", run.Get(query)),
                ("sort", run.Get(sort)),
                ("archived", run.Get(archived) ? "true" : null));
            run.Write(Views.List(run.Get(format), await run.Client.GetAllAsync(path, run.Ct, run.Get(limit)), Views.Tasks));
        });
        return list;
    }

    private static Command TaskRead()
    {
        var id = TaskIdArgument();
        var asOf = new Option<string?>("--as-of") { Description = "The task as it was then (RFC 3339, or local time): comments and followups created by then", HelpName = "time" };
        var version = new Option<int?>("--version") { Description = "The task as it was at this version", HelpName = "n" };
        var format = FormatOption();
        var read = new Command("read", "A task with its comments and followups") { id, asOf, version, format };
        Action(read, async run =>
        {
            if (run.Get(asOf) is not null && run.Get(version) is not null) throw CliException.Usage("Give --as-of or --version, not both.");
            var taskId = run.Get(id)!;
            var time = run.Get(asOf) is { } a ? Invocation.AsOf(a, "--as-of") : null;
            var taskDocument = await run.Client.GetAsync(KanbatteClient.WithQuery(TaskPath(taskId),
                ("asOf", time), ("version", run.Get(version)?.ToString(CultureInfo.InvariantCulture))), run.Ct);
            var comments = await run.Client.GetAllAsync(TaskPath(taskId, "/comments"), run.Ct);
            JsonArray followups;
            try
            {
                followups = await run.Client.GetAllAsync(TaskPath(taskId, "/followups"), run.Ct);
            }
            catch (CliException e) when (e.HttpStatus == 404)
            {
                followups = []; // A server from before followups: the task was found, the route was not.
            }
            // Then: what existed at the task's time (comments and followups as they are now). A version's time is its
            // event's (a comment moves the task's version on, not its updatedAt).
            var until = time;
            if (run.Get(version) is { } v)
            {
                var history = await run.Client.GetAllAsync(TaskPath(taskId, "/history"), run.Ct, v);
                until = history.FirstOrDefault(e => e?["version"]?.GetValue<int>() == v) is { } e ? Views.S(e, "occurredAt") : Views.S(taskDocument, "updatedAt");
            }
            if (until is not null)
            {
                comments = Created(comments, until);
                followups = Created(followups, until);
            }
            var document = new JsonObject { ["task"] = taskDocument.DeepClone(), ["comments"] = comments, ["followups"] = followups };
            run.Write(run.Get(format) switch
            {
                OutputFormat.Json => Output.Json(document) + "\n",
                OutputFormat.Markdown => TaskMarkdown(taskDocument, comments, followups),
                _ => TaskTable(taskDocument, comments, followups),
            });
        });
        return read;
    }

    private static JsonArray Created(JsonArray items, string until) =>
        new([.. items.Where(i => string.CompareOrdinal(Views.S(i, "createdAt"), until) <= 0).Select(i => i!.DeepClone())]);

    private static string TaskTable(JsonNode task, JsonArray comments, JsonArray followups)
    {
        var text = new StringBuilder(Views.TableEntity(task, Views.Task));
        text.Append($"\nComments ({comments.Count})\n");
        foreach (var c in comments)
            text.Append($"  {Views.S(c, "id")}  {Views.Author(c!)}  {Views.S(c, "createdAt")}{(Views.S(c, "editedAt") is { Length: > 0 } e ? $"  (edited {e})" : "")}\n")
                .Append(Views.Indent(Views.Indent(Views.S(c, "body")))).Append('\n');
        text.Append($"\nFollowups ({followups.Count})\n");
        foreach (var f in followups)
            text.Append($"  {Views.S(f, "id")}  {Views.S(f, "status")}  {Views.Author(f!)}  {Views.S(f, "createdAt")}\n")
                .Append(Views.Indent(Views.Indent(Views.S(f, "body")))).Append('\n');
        return text.ToString();
    }

    private static string TaskMarkdown(JsonNode task, JsonArray comments, JsonArray followups)
    {
        var text = new StringBuilder(Views.MarkdownEntity(task, Views.Task, "#"));
        text.Append("\n## Comments\n");
        if (comments.Count == 0) text.Append("\nNone.\n");
        foreach (var c in comments)
        {
            text.Append($"\n### {Views.S(c, "id")} - {Views.Author(c!)}, {Views.S(c, "createdAt")}{(Views.S(c, "editedAt") is { Length: > 0 } e ? $" (edited {e})" : "")}\n\n");
            text.Append(Views.S(c, "body").ReplaceLineEndings("\n").TrimEnd()).Append('\n');
        }
        text.Append("\n## Followups\n");
        if (followups.Count == 0) text.Append("\nNone.\n");
        foreach (var f in followups)
        {
            text.Append($"\n### {Views.S(f, "id")} ({Views.S(f, "status")}) - {Views.Author(f!)}, {Views.S(f, "createdAt")}\n\n");
            text.Append(Views.S(f, "body").ReplaceLineEndings("\n").TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    private static Command TaskUpdate()
    {
        var id = TaskIdOption();
        var status = StatusOption("The new status (in_progress or in-progress; the task keeps its rank)");
        var title = new Option<string?>("--title", "-t") { Description = "The new title", HelpName = "title" };
        var description = new Option<string?>("--description", "-d") { Description = "The new description", HelpName = "text" };
        var priority = new Option<string?>("--priority") { Description = "none, low, medium, high or urgent", HelpName = "priority" };
        var assignee = new Option<string?>("--assignee", "-a") { Description = "Assign to a member's user id", HelpName = "user" };
        var unassign = new Option<bool>("--unassign") { Description = "Leave the task unassigned" };
        var labels = LabelOption("The labels (repeat for more): they replace the task's labels");
        var clearLabels = new Option<bool>("--clear-labels") { Description = "Remove every label" };
        var due = new Option<string?>("--due") { Description = "The due date, YYYY-MM-DD", HelpName = "date" };
        var clearDue = new Option<bool>("--clear-due") { Description = "Remove the due date" };
        var ifVersion = new Option<int?>("--if-version") { Description = "Refuse (exit 1) if the task is no longer at this version (If-Match)", HelpName = "n" };
        var format = FormatOption();
        var update = new Command("update", "Change a task's fields")
        {
            id, status, title, description, priority, assignee, unassign, labels, clearLabels, due, clearDue, ifVersion, format,
        };
        Action(update, async run =>
        {
            if (run.Get(assignee) is not null && run.Get(unassign)) throw CliException.Usage("Give --assignee or --unassign, not both.");
            if (run.Get(labels) is { Length: > 0 } && run.Get(clearLabels)) throw CliException.Usage("Give --label or --clear-labels, not both.");
            if (run.Get(due) is not null && run.Get(clearDue)) throw CliException.Usage("Give --due or --clear-due, not both.");
            var body = new JsonObject();
            if (run.Get(status) is { } s) body["status"] = StatusNames.Normalize(s);
            if (run.Get(title) is { } t) body["title"] = t;
            if (run.Get(description) is { } d) body["description"] = d;
            if (run.Get(priority) is { } p) body["priority"] = p.Trim().ToLowerInvariant();
            if (run.Get(assignee) is { } a) body["assignee"] = a;
            if (run.Get(unassign)) body["assignee"] = null;
            if (run.Get(labels) is { Length: > 0 } l) body["labels"] = new JsonArray([.. l.Select(x => (JsonNode?)x)]);
            if (run.Get(clearLabels)) body["labels"] = null;
            if (run.Get(due) is { } dueDate) body["dueDate"] = dueDate.Trim();
            if (run.Get(clearDue)) body["dueDate"] = null;
            if (body.Count == 0) throw CliException.Usage("Nothing to change: give --status, --title, --description, --priority, --assignee, --label, --due or a --clear option.");
            var headers = run.Get(ifVersion) is { } v ? new Dictionary<string, string> { ["If-Match"] = $"\"{v}\"" } : null;
            var answer = await run.Client.SendAsync(HttpMethod.Patch, TaskPath(run.Get(id)!), body, Retry.No, run.Ct, headers: headers);
            run.Write(Views.Entity(run.Get(format), answer.Body!, Views.Task));
        });
        return update;
    }

    private static Command TaskMove()
    {
        var id = TaskIdOption();
        var status = StatusOption("The column to move it to (default: its own)");
        var before = new Option<string?>("--before") { Description = "Place it above this task", HelpName = "id" };
        var after = new Option<string?>("--after") { Description = "Place it below this task", HelpName = "id" };
        var format = FormatOption();
        var move = new Command("move", "Place a task in a column: after --after and/or before --before, else at the bottom") { id, status, before, after, format };
        Action(move, async run =>
        {
            var body = new JsonObject();
            if (run.Get(status) is { } s) body["status"] = StatusNames.Normalize(s);
            if (run.Get(before) is { } b) body["before"] = b.Trim().ToUpperInvariant();
            if (run.Get(after) is { } a) body["after"] = a.Trim().ToUpperInvariant();
            var answer = await run.Client.SendAsync(HttpMethod.Post, TaskPath(run.Get(id)!, "/move"), body, Retry.WithKey, run.Ct);
            run.Write(Views.Entity(run.Get(format), answer.Body!, Views.Task));
        });
        return move;
    }

    private static Command TaskArchive(string verb, string description)
    {
        var id = TaskIdOption();
        var format = FormatOption();
        var command = new Command(verb, description) { id, format };
        Action(command, async run =>
        {
            var answer = await run.Client.SendAsync(HttpMethod.Post, TaskPath(run.Get(id)!, "/" + verb), null, Retry.WithKey, run.Ct);
            run.Write(Views.Entity(run.Get(format), answer.Body!, Views.Task));
        });
        return command;
    }

    private static Command TaskComment() =>
        TaskAddition("comment", "Comment on a task", "The comment", "/comments", Views.Comment);

    private static Command TaskFollowup() =>
        TaskAddition("followup", "Add a followup to a task (open until resolved)", "What is to be followed up", "/followups", Views.Followup);

    /// <summary>A command that adds something with a text to a task (a comment, a followup): POST with a body, retried under an idempotency key.</summary>
    private static Command TaskAddition(string verb, string description, string text, string path, EntityView view)
    {
        var id = TaskIdOption();
        var comment = new Option<string>("--comment", "-c") { Description = text, HelpName = "text", Required = true };
        var idempotencyKey = IdempotencyKeyOption();
        var format = FormatOption();
        var command = new Command(verb, description) { id, comment, idempotencyKey, format };
        Action(command, async run =>
        {
            var answer = await run.Client.SendAsync(HttpMethod.Post, TaskPath(run.Get(id)!, path),
                new JsonObject { ["body"] = run.Get(comment) }, Retry.WithKey, run.Ct, run.Get(idempotencyKey));
            run.Write(Views.Entity(run.Get(format), answer.Body!, view));
        });
        return command;
    }

    private static Command TaskUpdateFollowup()
    {
        var id = TaskIdOption();
        var followup = new Argument<string>("followupId") { Description = "The followup (FU-3)" };
        var status = new Option<string?>("--status", "-s") { Description = "open or resolved", HelpName = "status" };
        var comment = new Option<string?>("--comment", "-c") { Description = "Its new text", HelpName = "text" };
        var format = FormatOption();
        var command = new Command("update-followup", "Resolve or reopen a followup, or change its text") { id, followup, status, comment, format };
        Action(command, async run =>
        {
            var body = new JsonObject();
            if (run.Get(status) is { } s) body["status"] = s.Trim().ToLowerInvariant();
            if (run.Get(comment) is { } c) body["body"] = c;
            if (body.Count == 0) throw CliException.Usage("Nothing to change: give --status (open or resolved) or --comment.");
            var answer = await run.Client.SendAsync(HttpMethod.Patch,
                TaskPath(run.Get(id)!, $"/followups/{KanbatteClient.Segment(run.Get(followup)!.Trim().ToUpperInvariant())}"), body, Retry.No, run.Ct);
            run.Write(Views.Entity(run.Get(format), answer.Body!, Views.Followup));
        });
        return command;
    }

    private static Command TaskHistory()
    {
        var id = TaskIdArgument();
        var limit = LimitOption("At most this many events, oldest first (default: all)");
        var format = FormatOption();
        var history = new Command("history", "A task's events from the log, oldest first, with who made each") { id, limit, format };
        Action(history, async run => run.Write(Views.List(run.Get(format),
            await run.Client.GetAllAsync(TaskPath(run.Get(id)!, "/history"), run.Ct, run.Get(limit)), Views.History)));
        return history;
    }
}
