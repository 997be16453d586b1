namespace Kanbatte.Domain;

public sealed record TaskRestored : IDomainEvent;
