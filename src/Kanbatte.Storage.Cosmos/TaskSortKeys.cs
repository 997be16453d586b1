using System.Text.Json;
using Kanbatte.Application;

namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// A task's sort keys as <see cref="TaskListQuery.SortKeyOf"/> defines them, each followed by a space and the task's
/// zero-padded number: one string orders as (key, number) does, so a sorted, keyset-paged list is an ORDER BY on one
/// path (no composite index, no ORDER BY on an expression, which Cosmos DB has not).
/// </summary>
public sealed record TaskSortKeys(string Rank, string Priority, string UpdatedAt, string DueDate)
{
    public static string Compose(string key, int number) => $"{key} {number.ToString("D10", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Read from the task's JSON as stored, tolerating absent fields (they sort first).</summary>
    public static TaskSortKeys Of(JsonElement task)
    {
        var number = task.TryGetProperty("number", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : 0;
        string Text(string name) => task.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var priority = Kanbatte.Domain.Priorities.Level(Text("priority"));
        var due = Text("dueDate");
        return new TaskSortKeys(
            Compose(Text("rank"), number),
            Compose(priority < 0 ? "" : priority.ToString(System.Globalization.CultureInfo.InvariantCulture), number),
            Compose(Text("updatedAt"), number),
            Compose(due.Length == 0 ? TaskListQuery.NoDueDate : due, number));
    }

    public static string? PathOf(TaskSort sort) => sort switch
    {
        TaskSort.Rank => "c.sort.rank",
        TaskSort.Priority => "c.sort.priority",
        TaskSort.UpdatedAt => "c.sort.updatedAt",
        TaskSort.DueDate => "c.sort.dueDate",
        _ => null,
    };
}
