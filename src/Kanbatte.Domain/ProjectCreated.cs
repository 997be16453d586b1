namespace Kanbatte.Domain;

public sealed record ProjectCreated(string Key, string Name, string? Description, string? Repository) : IDomainEvent;
