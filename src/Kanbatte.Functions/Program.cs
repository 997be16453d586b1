using Azure.Core.Serialization;
using Kanbatte.Api;
using Kanbatte.Application;
using Kanbatte.Functions;
using Kanbatte.Storage.Cosmos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddKanbatteFunctions(builder.Configuration);
builder.Build().Run();

namespace Kanbatte.Functions
{
    public static class FunctionsRegistration
    {
        /// <summary>Everything the functions need: the shared API over the Cosmos DB store, and Kanbatte's JSON for trigger payloads.</summary>
        public static IServiceCollection AddKanbatteFunctions(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
        {
            services.AddKanbatteApi(configuration);
            services.AddCosmosStore(configuration);
            // The trigger's documents are bound with the worker's serializer: make it read them as the store wrote them.
            services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(KanbatteJson.Options));
            return services;
        }
    }
}
