namespace Kanbatte.Domain;

public sealed record TaskArchived : IDomainEvent;
