namespace Kanbatte.Application;

/// <summary>What is known about an Idempotency-Key: the request it was first used for and, once done, its response.</summary>
public sealed record IdempotencyRecord(string Key, string RequestHash, DateTimeOffset ClaimedAt, StoredResponse? Response);
