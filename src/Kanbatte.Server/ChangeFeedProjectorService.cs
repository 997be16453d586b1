using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Server;

/// <summary>
/// Runs the projection from the event log's change feed, with leases in the leases container: the projector (the view and
/// the changes journal), each project's copy of its events (the project log, read by activity and board asOf), board
/// snapshots when due, then tells clients what changed. A delegate that throws (a transient store error; per-event
/// failures are parked; a snapshot never throws) is not checkpointed, so the processor delivers the batch again, and
/// every step takes a batch again without harm.
/// </summary>
public sealed class ChangeFeedProjectorService(
    CosmosContainers containers, ResilientProjector projector, CosmosProjectLog projectLog, CosmosSnapshotStore snapshots, IChangeNotifier notifier,
    ILogger<ChangeFeedProjectorService> logger) : IHostedService
{
    private ChangeFeedProcessor? _processor;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = containers.Options;
        _processor = containers.EventLog
            .GetChangeFeedProcessorBuilder<CosmosEventDocument>(options.LeasePrefix, HandleAsync)
            .WithInstanceName($"{Environment.MachineName}-{Environment.ProcessId}")
            .WithLeaseContainer(containers.Leases)
            .WithPollInterval(TimeSpan.FromMilliseconds(options.FeedPollDelayMs))
            .WithErrorNotification((lease, e) =>
            {
                logger.LogError(e, "Change feed lease {Lease} failed; its batch will be delivered again", lease);
                return Task.CompletedTask;
            })
            .Build();
        await _processor.StartAsync();
        logger.LogInformation("Change feed processor started on {Container} (leases {Leases}, prefix {Prefix})", options.EventLogContainer, options.LeasesContainer, options.LeasePrefix);
    }

    private async Task HandleAsync(ChangeFeedProcessorContext context, IReadOnlyCollection<CosmosEventDocument> changes, CancellationToken ct)
    {
        var batch = changes.Select(d => d.ToEnvelope()).ToList();
        var changed = await projector.ProjectAsync(batch, ct);
        await projectLog.CopyAsync(batch, ct);
        await snapshots.CaptureAsync(batch, ct);
        await notifier.NotifyAsync(changed, ct);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _processor?.StopAsync() ?? Task.CompletedTask;
}
