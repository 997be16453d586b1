namespace Kanbatte.Domain;

public sealed record AddComment(string? Body);
