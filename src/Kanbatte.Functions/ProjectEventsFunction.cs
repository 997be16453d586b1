using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions;

/// <summary>
/// The projector on the event log's change feed. Per-event failures are parked as dead letters by the resilient
/// projector, so the lease moves on without losing anything; a transient store error throws, and the function-level
/// retry delivers the same batch again (the projector applies each event once, however often it comes).
/// </summary>
public sealed class ProjectEventsFunction(ResilientProjector projector)
{
    public const string Name = "ProjectEvents";
    public const string LeasePrefix = "functions-view-";

    [Function(Name)]
    [ExponentialBackoffRetry(5, "00:00:01", "00:01:00")]
    public Task Run(
        [CosmosDBTrigger(CosmosOptions.Names.Database, CosmosOptions.Names.EventLog,
            Connection = CosmosOptions.ConnectionSetting,
            LeaseContainerName = CosmosOptions.Names.Leases,
            LeaseContainerPrefix = LeasePrefix)] IReadOnlyList<CosmosEventDocument> events,
        CancellationToken cancellationToken) =>
        projector.ProjectAsync(events.Select(e => e.ToEnvelope()).ToList(), cancellationToken);
}
