namespace Kanbatte.Domain;

public sealed record AddFollowup(string? Body);
