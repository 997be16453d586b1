namespace Kanbatte.Application;

/// <summary>
/// A page of a project's tasks. Lists are keyset-paged on (sort key, number): <see cref="AfterValue"/> is the sort key
/// of the last item already seen (unused when sorting by number) and <see cref="AfterNumber"/> its number (0: first page).
/// Sort keys are strings that order as the sort does: rank; priority level 0-4; updatedAt as UTC ISO text;
/// dueDate as yyyy-MM-dd with no date sorting last (as 9999-12-31).
/// </summary>
public sealed record TaskListQuery(string ProjectKey, IReadOnlyList<string> Statuses, int AfterNumber, int Limit)
{
    public IReadOnlyList<string> Priorities { get; init; } = [];
    public string? Assignee { get; init; }
    public string? Label { get; init; }
    public bool Archived { get; init; }
    /// <summary>Text the title contains, compared case-insensitively.</summary>
    public string? Text { get; init; }
    public TaskSort Sort { get; init; } = TaskSort.Number;
    public bool Descending { get; init; }
    public string? AfterValue { get; init; }

    public bool HasCursor => AfterNumber > 0 || AfterValue is not null;

    public const string NoDueDate = "9999-12-31";

    /// <summary>The sort key of a task, as stores compare it.</summary>
    public static string? SortKeyOf(Kanbatte.Domain.TaskState task, TaskSort sort) => sort switch
    {
        TaskSort.Rank => task.Rank,
        TaskSort.Priority => Kanbatte.Domain.Priorities.Level(task.Priority).ToString(System.Globalization.CultureInfo.InvariantCulture),
        TaskSort.UpdatedAt => KanbatteJson.Format(task.UpdatedAt),
        TaskSort.DueDate => task.DueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? NoDueDate,
        _ => null,
    };
}
