using Kanbatte.Functions;
using Kanbatte.Storage.Cosmos;
using Kanbatte.Testing;
using Kanbatte.Tests.Cosmos;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Azure.Tests;

/// <summary>
/// The function app's services exactly as its Program registers them (AddKanbatteFunctions), over a fresh database on
/// the Cosmos-protocol test server, accepting the test issuer's tokens; function classes are created from them and
/// called directly, through the app's middleware (<see cref="DirectHttp.CallAsync"/>).
/// </summary>
public sealed class FunctionApp : IAsyncDisposable
{
    private readonly CosmosTestServer _server;
    private readonly ServiceProvider _services;

    private FunctionApp(CosmosTestServer server, string database, ServiceProvider services) =>
        (_server, Database, _services) = (server, database, services);

    public string Database { get; }
    public IServiceProvider Services => _services;

    /// <param name="settings">More configuration, over the test server's and the test issuer's (<see cref="TestTokens"/>).</param>
    /// <param name="testIssuer">False: no test issuer, so <paramref name="settings"/> configure the issuer (an Authority, say).</param>
    public static async Task<FunctionApp> StartAsync(Action<IServiceCollection>? replace = null, IReadOnlyDictionary<string, string?>? settings = null, bool testIssuer = true)
    {
        var server = await CosmosTestServer.InstanceAsync();
        var database = CosmosTestServer.NewDatabaseName();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(server.Settings(database))
            .AddInMemoryCollection(testIssuer ? TestTokens.Settings : new Dictionary<string, string?>())
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddKanbatteFunctions(configuration);
        services.PostConfigure<CosmosClientOptions>(o => CosmosTestServer.ConfigureClient(o));
        replace?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await provider.GetRequiredService<CosmosContainers>().CreateIfNotExistsAsync();
        return new FunctionApp(server, database, provider);
    }

    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(_services);

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Every event in the log, as the change feed would deliver them (one document per event).</summary>
    public async Task<List<CosmosEventDocument>> LogAsync()
    {
        var container = Get<CosmosContainers>().EventLog;
        using var iterator = container.GetItemQueryIterator<CosmosEventDocument>("SELECT * FROM c");
        var all = new List<CosmosEventDocument>();
        while (iterator.HasMoreResults) all.AddRange(await iterator.ReadNextAsync());
        return all.OrderBy(d => d.StreamId, StringComparer.Ordinal).ThenBy(d => d.Version).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DeleteDatabaseAsync(Database);
    }
}
