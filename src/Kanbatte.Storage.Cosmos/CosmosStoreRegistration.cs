using Azure.Identity;
using Kanbatte.Application;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kanbatte.Storage.Cosmos;

public static class CosmosStoreRegistration
{
    /// <summary>Client settings beyond the defaults (<see cref="CosmosClientSettings"/>), e.g. Gateway mode for the emulator.</summary>
    public const string ClientSection = CosmosOptions.Section + ":Client";

    /// <summary>
    /// The Cosmos DB store: names from <c>Kanbatte:Cosmos</c>, the connection from the <c>KanbatteCosmos</c> setting (a
    /// connection string, or <c>KanbatteCosmos:accountEndpoint</c> with DefaultAzureCredential), one client per process,
    /// System.Text.Json with Kanbatte's JSON options. The projector runs through the resilient path, parking failures.
    /// </summary>
    public static IServiceCollection AddCosmosStore(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(CosmosOptions.Section).Get<CosmosOptions>() ?? new CosmosOptions();
        services.AddSingleton(options);
        services.AddOptions<CosmosClientOptions>().Configure(client =>
        {
            client.UseSystemTextJsonSerializerWithOptions = KanbatteJson.Options;
            client.ApplicationName = "kanbatte";
            configuration.GetSection(ClientSection).Get<CosmosClientSettings>()?.ApplyTo(client);
        });
        services.AddSingleton(sp => CreateClient(configuration, sp.GetRequiredService<IOptions<CosmosClientOptions>>().Value));
        services.AddSingleton<CosmosContainers>();
        services.AddSingleton<IEventStore, CosmosEventStore>();
        services.AddSingleton<IViewStore>(sp => new CosmosViewStore(sp.GetRequiredService<CosmosContainers>()));
        services.AddSingleton<ICounterStore, CosmosCounterStore>();
        services.AddSingleton<IDeadLetterStore, CosmosDeadLetterStore>();
        services.AddSingleton<IIdempotencyStore, CosmosIdempotencyStore>();
        services.AddSingleton<ITransientErrorPolicy, CosmosTransientErrors>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(configuration.GetSection(ChangesOptions.Section).Get<ChangesOptions>() ?? new ChangesOptions());
        services.AddSingleton<IChangeJournal, CosmosChangeJournal>();
        // The change-feed projection's steps after the projector: each project's copy of its events, then board snapshots.
        services.AddSingleton(sp => new CosmosProjectLog(sp.GetRequiredService<CosmosContainers>(), sp.GetService<ILogger<CosmosProjectLog>>()));
        services.AddSingleton(sp => new CosmosSnapshotStore(sp.GetRequiredService<CosmosProjectLog>(), options.SnapshotEvery,
            TimeSpan.FromSeconds(options.SnapshotSafetyLagSeconds), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<CosmosSnapshotStore>>()));
        services.AddSingleton<ISnapshotStore>(sp => sp.GetRequiredService<CosmosSnapshotStore>());
        services.AddSingleton<IStreamSnapshotStore, CosmosStreamSnapshotStore>();
        services.TryAddSingleton<Projector>();
        services.AddSingleton<ResilientProjector>();
        services.AddSingleton<IBatchProjection>(sp => sp.GetRequiredService<ResilientProjector>());
        if (options.CreateIfNotExists) services.AddHostedService<CosmosResourceCreator>();
        return services;
    }

    public static CosmosClient CreateClient(IConfiguration configuration, CosmosClientOptions clientOptions)
    {
        var connectionString = configuration[CosmosOptions.ConnectionSetting];
        if (!string.IsNullOrWhiteSpace(connectionString)) return new CosmosClient(connectionString, clientOptions);
        var endpoint = configuration[CosmosOptions.ConnectionSetting + ":accountEndpoint"];
        if (!string.IsNullOrWhiteSpace(endpoint)) return new CosmosClient(endpoint, new DefaultAzureCredential(), clientOptions);
        throw new InvalidOperationException(
            $"No Cosmos DB connection: set '{CosmosOptions.ConnectionSetting}' to a connection string, or '{CosmosOptions.ConnectionSetting}__accountEndpoint' to the account's endpoint (managed identity).");
    }

    /// <summary>Creates the database and containers before the host serves anything (only with <c>CreateIfNotExists</c>).</summary>
    private sealed class CosmosResourceCreator(CosmosContainers containers) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => containers.CreateIfNotExistsAsync(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
