namespace Kanbatte.Domain;

/// <summary>A followup on a task: something to come back to (the original Kanbatte's FU-n), open when added. The author is the caller.</summary>
public sealed record FollowupAdded(string FollowupId, int Number, string Body, string AuthorId, string Author) : IDomainEvent;
