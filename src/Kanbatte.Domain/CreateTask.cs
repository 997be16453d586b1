namespace Kanbatte.Domain;

public sealed record CreateTask(
    string? Title, string? Description, string? Status,
    string? Priority = null, string? Assignee = null, IReadOnlyList<string>? Labels = null, DateOnly? DueDate = null);
