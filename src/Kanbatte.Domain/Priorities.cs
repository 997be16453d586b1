namespace Kanbatte.Domain;

/// <summary>Task priorities from least to most urgent; sorting by <c>priority</c> follows this order.</summary>
public static class Priorities
{
    public const string None = "none";
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string Urgent = "urgent";

    public static readonly IReadOnlyList<string> All = [None, Low, Medium, High, Urgent];

    public static bool IsValid(string? priority) => priority is not null && All.Contains(priority);

    public static int Level(string priority) => All.IndexOf(priority);

    private static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }
}
