using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

/// <summary>The containers Kanbatte uses, all from the process's one <see cref="CosmosClient"/>.</summary>
public sealed class CosmosContainers(CosmosClient client, CosmosOptions options)
{
    public CosmosClient Client { get; } = client;
    public CosmosOptions Options { get; } = options;
    public Container EventLog { get; } = client.GetContainer(options.Database, options.EventLogContainer);
    /// <summary>The view container in use: the configured one until a rebuild switches to another.</summary>
    public CosmosActiveView ActiveView { get; } = new(client, options);
    public Container Counters { get; } = client.GetContainer(options.Database, options.CountersContainer);
    public Container DeadLetter { get; } = client.GetContainer(options.Database, options.DeadLetterContainer);
    public Container Leases { get; } = client.GetContainer(options.Database, options.LeasesContainer);
    public Container Idempotency { get; } = client.GetContainer(options.Database, options.IdempotencyContainer);
    public Container Changes { get; } = client.GetContainer(options.Database, options.ChangesContainer);
    public Container ProjectLog { get; } = client.GetContainer(options.Database, options.ProjectLogContainer);

    /// <summary>
    /// Creates the database and containers when missing: for the emulator and tests. In Azure the infrastructure owns
    /// them (and an identity-based connection may not create them at all), so this runs only when asked.
    /// </summary>
    public async Task CreateIfNotExistsAsync(CancellationToken ct = default)
    {
        var database = (await Client.CreateDatabaseIfNotExistsAsync(Options.Database, cancellationToken: ct)).Database;
        foreach (var (name, key) in new[]
                 {
                     (Options.EventLogContainer, CosmosOptions.PartitionKeys.EventLog),
                     (Options.ViewContainer, CosmosOptions.PartitionKeys.View),
                     (Options.CountersContainer, CosmosOptions.PartitionKeys.Counters),
                     (Options.LeasesContainer, CosmosOptions.PartitionKeys.Leases),
                 })
            await database.CreateContainerIfNotExistsAsync(new ContainerProperties(name, key), cancellationToken: ct);
        // The dead letters page ordered by (streamId, version): Cosmos DB serves that ORDER BY from a composite index.
        var deadLetter = new ContainerProperties(Options.DeadLetterContainer, CosmosOptions.PartitionKeys.DeadLetter);
        deadLetter.IndexingPolicy.CompositeIndexes.Add(
            [new CompositePath { Path = "/streamId", Order = CompositePathSortOrder.Ascending }, new CompositePath { Path = "/version", Order = CompositePathSortOrder.Ascending }]);
        await database.CreateContainerIfNotExistsAsync(deadLetter, cancellationToken: ct);
        await database.CreateContainerIfNotExistsAsync(
            new ContainerProperties(Options.IdempotencyContainer, CosmosOptions.PartitionKeys.Idempotency) { DefaultTimeToLive = CosmosOptions.IdempotencyTtlSeconds },
            cancellationToken: ct);
        // Time to live on, with no default: journal entries carry their own (the counter documents never expire).
        await database.CreateContainerIfNotExistsAsync(
            new ContainerProperties(Options.ChangesContainer, CosmosOptions.PartitionKeys.Changes) { DefaultTimeToLive = -1 }, cancellationToken: ct);
        // Only what the project log's queries filter and sort on (infra/modules/cosmos.bicep has the same policy).
        var projectLog = new ContainerProperties(Options.ProjectLogContainer, CosmosOptions.PartitionKeys.ProjectLog);
        projectLog.IndexingPolicy.IncludedPaths.Clear();
        projectLog.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = "/kind/?" });
        projectLog.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = "/seq/?" });
        projectLog.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        await database.CreateContainerIfNotExistsAsync(projectLog, cancellationToken: ct);
    }
}
