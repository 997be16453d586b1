namespace Kanbatte.Testing.RoundTrips;

/// <summary>
/// One operation's exact store round trips, next to the budget it must stay within. On Cosmos DB it also carries the
/// data-plane requests the SDK sent for it (<see cref="Requests"/>), and what went over HTTP: requests to items
/// (<see cref="WireDataRequests"/>, more than <see cref="RequestTotal"/> only if the SDK retried) and metadata reads
/// (account, container, partition key ranges; 0 on a warm client), because one port call may cost more than one request;
/// and the queries among the requests that carried no partition key (<see cref="CrossPartitionQueries"/>: none may).
/// </summary>
public sealed record RoundTripRow(string Operation, IReadOnlyDictionary<string, int> Calls, int Total, int Budget, string BudgetRule,
    IReadOnlyDictionary<string, int>? Requests = null, int WireDataRequests = 0, int MetadataRequests = 0, int CrossPartitionQueries = 0)
{
    public int RequestTotal => Requests?.Values.Sum() ?? 0;

    /// <summary>The budget is in round trips: port calls, and on Cosmos DB also the requests they sent.</summary>
    public bool WithinBudget => Total <= Budget && RequestTotal <= Budget;
}
