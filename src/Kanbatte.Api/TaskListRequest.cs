using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

/// <summary>A task list's filters and sort from the query string, and the list's identity for its continuation tokens.</summary>
public static class TaskListRequest
{
    /// <summary>The filters and sort this list takes, besides its page position.</summary>
    public static readonly QueryParameters Parameters = QueryParameters.Page.And("status", "priority", "assignee", "label", "archived", "q", "sort");

    private static readonly Dictionary<string, TaskSort> Sorts = new(StringComparer.Ordinal)
    {
        ["number"] = TaskSort.Number, ["rank"] = TaskSort.Rank, ["priority"] = TaskSort.Priority,
        ["updatedAt"] = TaskSort.UpdatedAt, ["dueDate"] = TaskSort.DueDate,
    };

    /// <summary>Every bad parameter is named at once.</summary>
    public static (TaskListQuery Query, string Scope) Parse(HttpRequest request, string key, Paging paging)
    {
        var v = new Violations();
        var statuses = QueryValues.CommaList(request, "status", Statuses.All, v);
        var priorities = QueryValues.CommaList(request, "priority", Priorities.All, v);
        var archived = QueryValues.Single(request, "archived") switch
        {
            null or "false" => false,
            "true" => true,
            _ => Invalid(v, "archived", "must be true or false."),
        };
        var sortText = QueryValues.Single(request, "sort") ?? "number";
        var descending = sortText.StartsWith('-');
        if (!Sorts.TryGetValue(descending ? sortText[1..] : sortText, out var sort))
            v.Add("sort", $"must be one of {string.Join(", ", Sorts.Keys)}, optionally with a leading '-'.");
        var assignee = QueryValues.Single(request, "assignee");
        var label = QueryValues.Single(request, "label");
        var text = QueryValues.Single(request, "q");
        if (text is not null && Rules.LengthOf(text) > Rules.TitleMax) v.Add("q", $"must be at most {Rules.TitleMax} characters.");
        var limit = 0;
        try { limit = paging.Limit(request); } catch (ValidationException e) { v.Add("limit", e.Errors["limit"][0]); }
        v.ThrowIfAny();
        var query = new TaskListQuery(key, statuses, 0, limit)
        {
            Priorities = priorities, Assignee = assignee, Label = label, Archived = archived,
            Text = string.IsNullOrEmpty(text) ? null : text, Sort = sort, Descending = descending,
        };
        return (query, ScopeOf(query));
    }

    /// <summary>
    /// A list's identity for its tokens: the parsed filters and sort, not the query's text, so the same list written
    /// another way (values or parameters in another order, duplicates, a default spelt out) continues with the same token.
    /// </summary>
    private static string ScopeOf(TaskListQuery q) =>
        "tasks|" + JsonSerializer.Serialize(new ListScope(q.ProjectKey, q.Statuses, q.Priorities, q.Assignee, q.Label, q.Archived, q.Text, q.Sort.ToString(), q.Descending));

    private sealed record ListScope(string Key, IReadOnlyList<string> Statuses, IReadOnlyList<string> Priorities, string? Assignee, string? Label,
        bool Archived, string? Text, string Sort, bool Descending);

    private static bool Invalid(Violations v, string field, string message)
    {
        v.Add(field, message);
        return false;
    }
}
