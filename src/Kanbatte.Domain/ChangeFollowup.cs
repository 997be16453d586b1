namespace Kanbatte.Domain;

/// <summary>A followup's new status (<c>open</c> or <c>resolved</c>) and/or body; null leaves it as it is.</summary>
public sealed record ChangeFollowup(string? Status, string? Body);
