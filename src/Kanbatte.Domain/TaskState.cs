namespace Kanbatte.Domain;

public sealed record TaskState(
    string Id, string ProjectKey, int Number, string Title, string Description, string Status,
    string Priority, string? Assignee, IReadOnlyList<string> Labels, DateOnly? DueDate, string Rank, bool Archived,
    int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
