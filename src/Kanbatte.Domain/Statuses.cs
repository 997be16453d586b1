namespace Kanbatte.Domain;

/// <summary>The workflow, in board order.</summary>
public static class Statuses
{
    public const string Todo = "todo";
    public const string Ready = "ready";
    public const string InProgress = "in_progress";
    public const string Review = "review";
    public const string Done = "done";

    public static readonly IReadOnlyList<string> All = [Todo, Ready, InProgress, Review, Done];

    public static bool IsValid(string? status) => status is not null && All.Contains(status);
}
