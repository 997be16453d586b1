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
        var options = configuration.GetSection(CosmosOptions.Section).Get<CosmosOptions>() ?? new CosmosOptions();
        if (options.RunChangeFeedProcessor) services.AddHostedService<ChangeFeedProjectorService>();
        return services;
    }
}
