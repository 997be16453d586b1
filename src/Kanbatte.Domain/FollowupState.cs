namespace Kanbatte.Domain;

/// <summary>A followup as clients see it.</summary>
public sealed record FollowupState(
    string Id, string TaskId, int Number, string Body, string Status, string AuthorId, string Author, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
