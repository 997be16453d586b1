using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;
using Kanbatte.Tests.Cosmos;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Kanbatte.Testing;

namespace Kanbatte.Azure.Tests;

/// <summary>
/// The self-hosted server with <c>Kanbatte:Store=Cosmos</c>, on its own database of the Cosmos-protocol test server.
/// That server has no working change feed, so the change feed processor is off and, TEST ONLY, each append is projected
/// right after it is written (<see cref="ProjectingEventStore"/>): what is verified is the HTTP path over the Cosmos
/// store, not the change feed (that runs in <see cref="CosmosEmulatorTests"/> against a real emulator).
/// </summary>
public sealed class CosmosServerFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private CosmosTestServer _server = null!;
    public string Database { get; } = CosmosTestServer.NewDatabaseName();

    public async Task InitializeAsync() => _server = await CosmosTestServer.InstanceAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Kanbatte:Store", "Cosmos");
        foreach (var (key, value) in _server.Settings(Database)) builder.UseSetting(key, value);
        builder.UseSetting("Kanbatte:Cosmos:RunChangeFeedProcessor", "false");
        builder.UseTestIssuer();
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            services.PostConfigure<CosmosClientOptions>(o => CosmosTestServer.ConfigureClient(o));
            services.AddSingleton<IEventStore>(sp =>
            {
                var inner = new CosmosEventStore(sp.GetRequiredService<CosmosContainers>());
                var projector = new ResilientProjector(new Projector(sp.GetRequiredService<IViewStore>(), inner), sp.GetRequiredService<IDeadLetterStore>(),
                    sp.GetRequiredService<ITransientErrorPolicy>(), TimeProvider.System, sp.GetRequiredService<ILogger<ResilientProjector>>());
                return new ProjectingEventStore(inner, projector, sp.GetRequiredService<CosmosProjectLog>(), sp.GetRequiredService<CosmosSnapshotStore>());
            });
        });
    }

    /// <summary>Every client carries the default test user's token.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.WithToken();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DeleteDatabaseAsync(Database);
    }
}
