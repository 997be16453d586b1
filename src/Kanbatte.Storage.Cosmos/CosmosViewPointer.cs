namespace Kanbatte.Storage.Cosmos;

/// <summary>The active view container, the one it replaced, and when the switch happened.</summary>
public sealed record CosmosViewPointer(string Id, string Container, string Previous, DateTimeOffset SwitchedAt);
