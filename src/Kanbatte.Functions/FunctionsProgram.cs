using Azure.Core;
using Azure.Core.Serialization;
using Azure.Identity;
using Kanbatte.Api;
using Kanbatte.Application;
using Kanbatte.Functions.Push;
using Kanbatte.Storage.Cosmos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Kanbatte.Functions;

/// <summary>The worker's entry point; a named class (not top-level statements) so tests can reference both hosts.</summary>
public static class FunctionsProgram
{
    public static void Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        // After the ASP.NET Core integration's own middleware, which hands over the HttpContext this one reads.
        builder.UseMiddleware<KanbatteRequestMiddleware>();
        builder.Services.AddKanbatteFunctions(builder.Configuration);
        builder.Build().Run();
    }

    /// <summary>
    /// Everything the functions need: the shared API over the Cosmos DB store, bearer tokens and CORS as on the server
    /// (checked by <see cref="KanbatteRequestMiddleware"/>), and Kanbatte's JSON for trigger payloads. Without an
    /// issuer in <c>Authentication:Schemes:Bearer</c> this throws: the function app has no local issuer.
    /// </summary>
    public static IServiceCollection AddKanbatteFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKanbatteApi(configuration);
        services.AddKanbatteAuthentication(configuration);
        services.AddKanbatteCors(configuration);
        services.AddSingleton<RequestGate>();
        services.AddCosmosStore(configuration);
        // The write path (README, "Where a write goes"): many instances write, so every command reads the stream's newer
        // events; the change-feed trigger (ProjectEvents) projects appends, and nothing else runs with them.
        services.AddSingleton(sp => new WritePipeline(
            sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<TimeProvider>(),
            LoadOption.RequireLoad, sp.GetRequiredService<StreamStateCache>(),
            inTransaction: [], afterCommit: [],
            // A state not in the cache (a new instance's) is loaded from the stream's snapshot and the events after it.
            snapshots: sp.GetRequiredService<StreamSnapshots>()));
        services.AddHostedService<StreamSnapshotService>(); // writes the snapshots the pipeline offered, in batches
        // Push: after ProjectEvents projects, members are told through Azure SignalR Service (REST, the app's own identity).
        services.AddSingleton(configuration.GetSection(SignalRServiceOptions.Section).Get<SignalRServiceOptions>() ?? new SignalRServiceOptions());
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.AddHttpClient<SignalRService>();
        services.AddSingleton<ChangeMessages>();
        services.AddSingleton<IChangeNotifier, SignalRServiceNotifier>();
        services.AddSingleton<HubNegotiation>();
        // The trigger's documents are bound with the worker's serializer: make it read them as the store wrote them.
        services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(KanbatteJson.Options));
        return services;
    }
}
