namespace Kanbatte.Domain;

public sealed record MemberRoleChanged(string UserId, string Role) : IDomainEvent;
