namespace Kanbatte.Domain;

public sealed record CommentAdded(string CommentId, int Number, string Body, string? Author) : IDomainEvent;
