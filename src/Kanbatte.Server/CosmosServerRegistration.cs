using Kanbatte.Api;
using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;

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
            afterCommit: [sp.GetRequiredService<KanbatteMetrics>()], // kanbatte.events.appended
            // A state not in the cache is loaded from the stream's snapshot and the events after it (StreamSnapshotService writes them).
            snapshots: sp.GetRequiredService<StreamSnapshots>()));
        services.AddHostedService<StreamSnapshotService>();
        var options = configuration.GetSection(CosmosOptions.Section).Get<CosmosOptions>() ?? new CosmosOptions();
        if (options.RunChangeFeedProcessor) services.AddHostedService<ChangeFeedProjectorService>();
        return services;
    }
}
