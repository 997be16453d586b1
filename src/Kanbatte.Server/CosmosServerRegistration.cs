using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Server;

public static class CosmosServerRegistration
{
    /// <summary>
    /// The Azure data path without Functions: the Cosmos DB store, and the Cosmos SDK's change feed processor driving the
    /// same resilient projector the function app's trigger runs. Reads are eventually consistent, as in Azure.
    /// </summary>
    public static IServiceCollection AddCosmosServerStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCosmosStore(configuration);
        // The write path (README, "Where a write goes"): Cosmos DB appends have no transaction to project in; the change
        // feed projects them. Another instance may have written, so every command reads the stream's newer events.
        services.AddSingleton(sp => new WritePipeline(
            sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<TimeProvider>(),
            LoadOption.RequireLoad, sp.GetRequiredService<StreamStateCache>(),
            inTransaction: [],
            afterCommit: [sp.GetRequiredService<KanbatteMetrics>()])); // kanbatte.events.appended
        var options = configuration.GetSection(CosmosOptions.Section).Get<CosmosOptions>() ?? new CosmosOptions();
        if (options.RunChangeFeedProcessor) services.AddHostedService<ChangeFeedProjectorService>();
        return services;
    }
}

/// <summary>
/// Runs the projector from the event log's change feed, with leases in the leases container. A delegate that throws
/// (a transient store error; per-event failures are parked) is not checkpointed, so the processor delivers the batch again.
/// </summary>
public sealed class ChangeFeedProjectorService(CosmosContainers containers, ResilientProjector projector, ILogger<ChangeFeedProjectorService> logger) : IHostedService
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

    private Task HandleAsync(ChangeFeedProcessorContext context, IReadOnlyCollection<CosmosEventDocument> changes, CancellationToken ct) =>
        projector.ProjectAsync(changes.Select(d => d.ToEnvelope()).ToList(), ct);

    public Task StopAsync(CancellationToken cancellationToken) => _processor?.StopAsync() ?? Task.CompletedTask;
}
