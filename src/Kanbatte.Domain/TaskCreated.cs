namespace Kanbatte.Domain;

/// <summary>Schema 2 (schema 1, before priority, assignee, labels, due date and rank, is upcast on reading).</summary>
public sealed record TaskCreated(
    string Id, string ProjectKey, int Number, string Title, string Description, string Status,
    string Priority, string? Assignee, IReadOnlyList<string> Labels, DateOnly? DueDate, string Rank) : IDomainEvent;
