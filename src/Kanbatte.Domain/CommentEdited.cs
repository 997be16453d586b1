namespace Kanbatte.Domain;

public sealed record CommentEdited(string CommentId, string Body) : IDomainEvent;
