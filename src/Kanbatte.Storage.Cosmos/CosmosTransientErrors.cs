using Kanbatte.Application;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Storage.Cosmos;

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
