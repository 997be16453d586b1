namespace Kanbatte.Domain;

/// <summary>A partial change: a null field is left as it is; <see cref="Clear"/> names optional fields (assignee, dueDate, labels) to empty.</summary>
public sealed record ChangeTask(
    string? Title, string? Description, string? Status,
    string? Priority = null, string? Assignee = null, IReadOnlyList<string>? Labels = null, DateOnly? DueDate = null,
    IReadOnlySet<string>? Clear = null);
