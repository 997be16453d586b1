namespace Kanbatte.Application;

/// <summary>A response kept for an Idempotency-Key, replayed byte for byte to a retry of the same request.</summary>
public sealed record StoredResponse(int Status, string ContentType, byte[] Body, string? Location, string? ETag);
