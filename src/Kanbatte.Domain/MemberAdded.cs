namespace Kanbatte.Domain;

public sealed record MemberAdded(string UserId, string Name, string Role) : IDomainEvent;
