namespace Kanbatte.Domain;

public sealed record AddComment(string? Body, string? Author);
