namespace Kanbatte.Domain;

public sealed record MemberRemoved(string UserId) : IDomainEvent;
