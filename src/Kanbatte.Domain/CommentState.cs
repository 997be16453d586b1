namespace Kanbatte.Domain;

public sealed record CommentState(string Id, string TaskId, int Number, string Body, string? Author, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt);
