using Azure.Identity;
using Kanbatte.Application;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
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

/// <summary>The few client settings a deployment may change (<c>Kanbatte:Cosmos:Client</c>); everything else keeps the SDK's defaults.</summary>
public sealed class CosmosClientSettings
{
    /// <summary>Direct (the SDK's default) or Gateway (the emulator behind a firewall or in a container).</summary>
    public ConnectionMode? ConnectionMode { get; set; }

    /// <summary>Use only the configured endpoint, not the account's other regions (the emulator).</summary>
    public bool? LimitToEndpoint { get; set; }

    /// <summary>The Azure region the app runs in, so reads go to the nearest replica.</summary>
    public string? ApplicationRegion { get; set; }

    public void ApplyTo(CosmosClientOptions options)
    {
        if (ConnectionMode is { } mode) options.ConnectionMode = mode;
        if (LimitToEndpoint is { } limit) options.LimitToEndpoint = limit;
        if (!string.IsNullOrEmpty(ApplicationRegion)) options.ApplicationRegion = ApplicationRegion;
    }
}

/// <summary>Cosmos DB answers worth retrying: throttling, timeouts, unavailability. Everything else is about the event.</summary>
public sealed class CosmosTransientErrors : ITransientErrorPolicy
{
    public bool IsTransient(Exception e) => e switch
    {
        CosmosException c => IsTransient(c.StatusCode),
        CosmosStoreException s => IsTransient(s.Status),
        HttpRequestException or TimeoutException => true,
        _ => e.InnerException is { } inner && IsTransient(inner),
    };

    private static bool IsTransient(System.Net.HttpStatusCode status) =>
        (int)status is 408 or 410 or 429 or 449 or 500 or 502 or 503 or 504;
}
