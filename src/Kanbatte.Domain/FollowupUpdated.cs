namespace Kanbatte.Domain;

/// <summary>A followup's status or body changed; only what changed is set.</summary>
public sealed record FollowupUpdated(string FollowupId, string? Status = null, string? Body = null) : IDomainEvent;
