using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Server;

/// <summary>
/// Runs the projector from the event log's change feed, with leases in the leases container, and tells clients what changed. A delegate that throws
/// (a transient store error; per-event failures are parked) is not checkpointed, so the processor delivers the batch again.
/// </summary>
public sealed class ChangeFeedProjectorService(CosmosContainers containers, ResilientProjector projector, IChangeNotifier notifier, ILogger<ChangeFeedProjectorService> logger) : IHostedService
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
        var changed = await projector.ProjectAsync(changes.Select(d => d.ToEnvelope()).ToList(), ct);
        await notifier.NotifyAsync(changed, ct);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _processor?.StopAsync() ?? Task.CompletedTask;
}
