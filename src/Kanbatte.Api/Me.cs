namespace Kanbatte.Api;

/// <summary>The answer of <c>GET /api/me</c>: the caller's user id, display name, and whether they are an operator.</summary>
public sealed record Me(string Id, string Name, bool Admin);
