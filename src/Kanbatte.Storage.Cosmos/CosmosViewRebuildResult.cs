namespace Kanbatte.Storage.Cosmos;

/// <summary>
/// What a rebuild did: the container it replaced and the new one, events read per pass, how long it took, the events it
/// copied into the project log that were not there yet, and the board snapshots it took.
/// </summary>
public sealed record CosmosViewRebuildResult(string Previous, string Container, IReadOnlyList<long> EventsPerPass, TimeSpan Elapsed)
{
    public long Copied { get; init; }
    public int Snapshots { get; init; }
}
