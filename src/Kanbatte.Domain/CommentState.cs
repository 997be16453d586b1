namespace Kanbatte.Domain;

/// <summary>A comment as clients see it: <see cref="AuthorId"/> is null for comments written before users existed.</summary>
public sealed record CommentState(string Id, string TaskId, int Number, string Body, string? AuthorId, string? Author, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt);
