namespace Kanbatte.Storage.Cosmos;

/// <summary>What a rebuild did: the container it replaced and the new one, events read per pass, and how long it took.</summary>
public sealed record CosmosViewRebuildResult(string Previous, string Container, IReadOnlyList<long> EventsPerPass, TimeSpan Elapsed);
