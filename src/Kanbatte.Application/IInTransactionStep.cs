namespace Kanbatte.Application;

/// <summary>
/// Work that must commit with the events it follows (the self-hosted server's inline projection). The store runs it inside
/// the append's transaction, after the events are written; where one transaction commits several appends (SQLite's group
/// commit), once on all their events, in the order they were appended. The steps are the host's, registered with its
/// <see cref="WritePipeline"/>; stores without transactions (Cosmos DB) take none.
/// </summary>
public interface IInTransactionStep
{
    /// <summary>Returns what to do once the transaction has committed (e.g. tell waiting readers), or null.</summary>
    Task<Action?> RunAsync(IAppendTransaction transaction, IReadOnlyList<EventEnvelope> appended, CancellationToken ct);
}
