namespace Kanbatte.Application;

/// <summary>The stream moved on since it was read: the caller decides again against the new state.</summary>
public sealed class ConcurrencyException(string streamId, int expectedVersion)
    : Exception($"Stream '{streamId}' is no longer at version {expectedVersion}.")
{
    public string StreamId { get; } = streamId;
    public int ExpectedVersion { get; } = expectedVersion;
}
