namespace Kanbatte.Domain;

public sealed record CommentDeleted(string CommentId) : IDomainEvent;
