using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kanbatte.Cli;

/// <summary>How a list of one kind of document is shown as a table: its columns and one row per document.</summary>
public sealed record ListView(string[] Headers, Func<JsonNode, string[]> Row);

/// <summary>
/// How one document is shown: a heading, its fields, and long text below them: a description (<paramref name="BodyName"/>
/// names it: a field in a table, a section in Markdown) or a comment's text (no name: indented, or a paragraph).
/// </summary>
public sealed record EntityView(Func<JsonNode, string> Title, Func<JsonNode, IEnumerable<(string Name, string Value)>> Fields,
    Func<JsonNode, string?>? Body = null, string? BodyName = null);

/// <summary>The tables and documents of each kind the API answers.</summary>
public static class Views
{
    public static string S(JsonNode? node, string name) => Text(node?[name]);

    /// <summary>A JSON value as text: strings as they are, null as nothing, arrays joined with ", ", anything else as JSON.</summary>
    public static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "yes",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "no",
        JsonArray a => string.Join(", ", a.Select(Text)),
        _ => value.ToJsonString(Output.CompactJson),
    };

    public static readonly ListView Projects = new(["key", "name", "repository", "description"],
        p => [S(p, "key"), S(p, "name"), S(p, "repository"), Output.Shorten(S(p, "description"), 60)]);

    public static readonly EntityView Project = new(p => $"{S(p, "key")} - {S(p, "name")}", p =>
    [
        ("Key", S(p, "key")), ("Name", S(p, "name")), ("Repository", S(p, "repository")), ("Version", S(p, "version")),
        ("Created", S(p, "createdAt")), ("Updated", S(p, "updatedAt")),
    ], p => S(p, "description"), "Description");

    public static readonly ListView Members = new(["user", "name", "role", "since"],
        m => [S(m, "userId"), S(m, "name"), S(m, "role"), S(m, "since")]);

    public static readonly EntityView Member = new(m => $"{S(m, "userId")} - {S(m, "role")}", m =>
        [("User", S(m, "userId")), ("Name", S(m, "name")), ("Role", S(m, "role")), ("Since", S(m, "since"))]);

    public static readonly ListView Tasks = new(["id", "status", "priority", "assignee", "due", "labels", "title"],
        t => [S(t, "id"), TaskStatus(t), S(t, "priority"), S(t, "assignee"), S(t, "dueDate"), S(t, "labels"), S(t, "title")]);

    public static readonly EntityView Task = new(t => $"{S(t, "id")} - {S(t, "title")}", t =>
    [
        ("Status", TaskStatus(t)), ("Priority", S(t, "priority")), ("Assignee", S(t, "assignee")), ("Labels", S(t, "labels")),
        ("Due", S(t, "dueDate")), ("Version", S(t, "version")), ("Created", S(t, "createdAt")), ("Updated", S(t, "updatedAt")),
    ], t => S(t, "description"), "Description");

    public static readonly EntityView Comment = new(c => $"{S(c, "id")} on {S(c, "taskId")}", c =>
        [("Author", Author(c)), ("Created", S(c, "createdAt")), .. (S(c, "editedAt") is { Length: > 0 } edited ? [("Edited", edited)] : Array.Empty<(string, string)>())],
        c => S(c, "body"));

    public static readonly EntityView Followup = new(f => $"{S(f, "id")} on {S(f, "taskId")}", f =>
        [("Status", S(f, "status")), ("Author", Author(f)), ("Created", S(f, "createdAt")), ("Updated", S(f, "updatedAt"))], f => S(f, "body"));

    public static readonly ListView Followups = new(["id", "task", "status", "author", "created", "body"],
        f => [S(f, "id"), S(f, "taskId"), S(f, "status"), Author(f), S(f, "createdAt"), Output.Shorten(S(f, "body"), 60)]);

    public static readonly EntityView Me = new(m => S(m, "name"), m =>
        [("Id", S(m, "id")), ("Name", S(m, "name")), ("Admin", S(m, "admin"))]);

    public static readonly ListView History = new(["version", "time", "actor", "event", "data"],
        e => [S(e, "version"), S(e, "occurredAt"), S(e["actor"], "name"), S(e, "type"), Summary(e["data"])]);

    public static readonly ListView Activity = new(["time", "actor", "task", "event", "data"],
        e => [S(e, "occurredAt"), S(e["actor"], "name"), S(e, "taskId"), S(e, "type"), Summary(e["data"])]);

    public static string TaskStatus(JsonNode t) => t["archived"]?.GetValueKind() == JsonValueKind.True ? $"{S(t, "status")} (archived)" : S(t, "status");

    public static string Author(JsonNode n) => S(n, "author") is { Length: > 0 } name ? name : S(n, "authorId");

    /// <summary>An event's data in one line: <c>name=value</c> pairs (nulls left out), long text shortened.</summary>
    public static string Summary(JsonNode? data) => data is JsonObject fields
        ? string.Join(", ", fields.Where(f => f.Value is not null).Select(f => $"{f.Key}={(f.Value is JsonArray ? $"[{Output.Shorten(Text(f.Value), 40)}]" : Output.Shorten(Text(f.Value), 40))}"))
        : Text(data);

    public static string List(OutputFormat format, JsonArray items, ListView view) => format switch
    {
        OutputFormat.Json => Output.Json(items) + "\n",
        OutputFormat.Markdown => Output.MarkdownTable(Capitalized(view.Headers), items.Select(i => (IReadOnlyList<string>)view.Row(i!))),
        _ => Output.Table(view.Headers, items.Select(i => (IReadOnlyList<string>)view.Row(i!))),
    };

    public static string Entity(OutputFormat format, JsonNode entity, EntityView view) => format switch
    {
        OutputFormat.Json => Output.Json(entity) + "\n",
        OutputFormat.Markdown => MarkdownEntity(entity, view, "#"),
        _ => TableEntity(entity, view),
    };

    public static string TableEntity(JsonNode entity, EntityView view)
    {
        var text = new StringBuilder(view.Title(entity)).Append('\n');
        var body = view.Body?.Invoke(entity) is { Length: > 0 } b ? b.ReplaceLineEndings("\n").TrimEnd() : null;
        var fields = view.Fields(entity).ToList();
        if (body is not null && view.BodyName is { } name) fields.Add((name, body));
        text.Append(Output.Fields(fields));
        if (body is not null && view.BodyName is null) text.Append('\n').Append(Indent(body)).Append('\n');
        return text.ToString();
    }

    public static string MarkdownEntity(JsonNode entity, EntityView view, string heading)
    {
        var text = new StringBuilder($"{heading} {view.Title(entity)}\n\n");
        text.Append(Output.MarkdownTable(["Field", "Value"], view.Fields(entity).Select(f => (IReadOnlyList<string>)[f.Name, f.Value])));
        if (view.Body?.Invoke(entity) is { Length: > 0 } body)
        {
            if (view.BodyName is { } name) text.Append($"\n{heading}# {name}\n");
            text.Append('\n').Append(body.ReplaceLineEndings("\n").TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    public static string Indent(string text) =>
        string.Join("\n", text.ReplaceLineEndings("\n").TrimEnd().Split('\n').Select(l => ("  " + l).TrimEnd()));

    public static string[] Capitalized(IEnumerable<string> headers) =>
        [.. headers.Select(h => h.Length == 0 ? h : char.ToUpperInvariant(h[0]) + h[1..])];
}
